"""Escalations reach a person: sign-in codes cannot spend the texts that bring a leader an escalation, and an
escalation SMS that is blocked or never arrives becomes a call, then the next leader; the timeline says so."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from dispatch.leaders import signin
from dispatch.ladder import escalation
from dispatch.requests.intake import open_request_for
from dispatch.messaging import outbox
from models import OutboundMessage, OutboundStatus, db
from tests.factories import NOW
from tests.support.webhooks import run_queued_jobs


@pytest.fixture
def settings(app):
    """set(NAME=value, ...): change settings for this test only."""
    before = dict(app.config)
    yield app.config.update
    app.config.clear()
    app.config.update(before)


def commit(app):
    """Commit, then release the outbox, as the edge does."""
    db.session.commit()
    outbox.flush(db.session, app.extensions["hotline.queue"])


def texts_to(phone, template):
    db.session.expire_all()
    return list(db.session.scalars(select(OutboundMessage).where(
        OutboundMessage.to_phone == phone, OutboundMessage.template == template).order_by(OutboundMessage.id)))


def test_sign_in_codes_have_a_budget_of_their_own_and_never_silence_a_leader(app, make, settings):
    settings(SMS_DAILY_BUDGET=8)
    gacha = make.gacha()
    secretary = make.leader(gacha)
    herder = make.household(place=gacha)
    db.session.commit()
    for n in range(14):  # someone asks for the secretary's codes all day, as often as the per-hour limit lets them
        at = NOW - timedelta(hours=23) + n * timedelta(minutes=13)
        signin.send_login_code(db.session, secretary.phone, at, app.config, requester="a stranger's browser")
        commit(app)
    run_queued_jobs(app)
    codes = [m.status for m in texts_to(secretary.phone, "login_code")]
    budget = app.config["SIGNIN_SMS_DAILY_BUDGET"]
    assert codes == [OutboundStatus.sent] * budget + [OutboundStatus.blocked] * (14 - budget)

    request = open_request_for(db.session, caller=herder.phones[0].phone, category=1, text="", household=herder,
                               now=NOW, channel="sms")
    escalation.escalate(db.session, request, NOW, app.config, why="3支服务队未接单")
    commit(app)
    run_queued_jobs(app)
    [told] = texts_to(secretary.phone, "escalated_leader")
    assert told.status == OutboundStatus.sent and request.ref in told.body
