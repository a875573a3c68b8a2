"""Two members accepting the same offer in the same instant leave exactly one holder (PostgreSQL row locks)."""
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dispatch.ladder import offers
from dispatch.conversation.inbound import InboundSms, receive_sms
from models import Offer, OfferStatus, Request, RequestStatus, db

ROUNDS = 8


@pytest.fixture
def postgres_only(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row locks are what is tested; run with DATABASE_URL on PostgreSQL (make test does)")


def accept_together(app, phones, ref):
    """Each phone replies "1 <ref>" from its own thread and connection, released at the same instant."""
    barrier, answers = threading.Barrier(len(phones)), {}

    def reply(phone, n):
        with app.app_context():
            barrier.wait()
            sms = InboundSms(f"SMrace{ref}{n}", phone, "+864778512345", f"1 {ref}")
            answers[phone] = receive_sms(db.session, sms, datetime.now(timezone.utc), app.config)
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=reply, args=(phone, n)) for n, phone in enumerate(phones)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


def test_two_simultaneous_accepts_leave_one_holder(app, make, postgres_only):
    gacha = make.gacha()
    team = make.team(place=gacha, members=2)
    phones = [m.phone for m in team.members]
    households = [make.household(place=gacha) for _ in range(ROUNDS)]
    db.session.commit()
    for household in households:
        request = offers_open_request(app, household)
        answers = accept_together(app, phones, request.ref)
        db.session.expire_all()
        request = db.session.get(Request, request.id)
        holders = db.session.scalars(select(Offer).where(Offer.request_id == request.id,
                                                         Offer.status == OfferStatus.accepted)).all()
        assert len(holders) == 1 and request.status == RequestStatus.accepted
        winner = next(m for m in team.members if m.id == request.holder_member_id)
        assert "您已接单" in answers[winner.phone]
        [loser] = [p for p in phones if p != winner.phone]
        assert "已由他人接单" in answers[loser]
        # Free the team for the next round.
        offers.report_done(db.session, request, winner, datetime.now(timezone.utc))
        db.session.commit()


def offers_open_request(app, household):
    now = datetime.now(timezone.utc)
    receive_sms(db.session, InboundSms(f"SMopen{household.id}", household.phones[0].phone, "+86477", "1"), now,
                app.config)
    db.session.commit()
    request = db.session.scalar(select(Request).where(Request.household_id == household.id))
    offers.offer_to_next_team(db.session, request.id, now, app.config)
    db.session.commit()
    return request


def test_database_refuses_a_second_accepted_offer(app, make, postgres_only):
    gacha = make.gacha()
    first, second = make.team(place=gacha), make.team(place=gacha)
    household = make.household(place=gacha)
    db.session.commit()
    request = offers_open_request(app, household)
    now = datetime.now(timezone.utc)
    db.session.add(Offer(request=request, team=second, status=OfferStatus.accepted, created_at=now, expires_at=now))
    request.offers[0].status = OfferStatus.accepted
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert first is not None
