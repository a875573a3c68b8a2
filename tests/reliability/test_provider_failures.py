"""Twilio's REST API fails: temporary errors are retried, permanent ones are recorded and the ladder moves on,
and a send whose answer never came back is looked up before it is ever sent again."""
import pytest
from sqlalchemy import select

from dispatch.ladder import offers
from dispatch.runtime import jobs
from dispatch.runtime.unit_of_work import utcnow
from models import OfferStatus, OutboundMessage, OutboundStatus, Request, db
from dispatch.conversation.inbound import InboundSms, receive_sms


@pytest.fixture
def offered(twilio_app, make):
    """A herder's request offered to the nearest of two teams; the offer SMS recorded, not yet sent."""
    gacha = make.gacha()
    herder = make.household(place=gacha)
    near = make.team(place=gacha, lat=38.1, lon=108.1, members=2)
    far = make.team(place=gacha, lat=38.6, lon=108.1)
    db.session.commit()
    receive_sms(db.session, InboundSms("SMfail1", herder.phones[0].phone, "+864778512345", "1"), utcnow(),
                twilio_app.config)
    db.session.commit()
    request = db.session.scalar(select(Request))
    offers.offer_to_next_team(db.session, request.id, utcnow(), twilio_app.config)
    db.session.commit()
    return request, near, far


def offer_messages(request, team):
    phones = {m.phone for m in team.members}
    return [m for m in db.session.scalars(select(OutboundMessage).order_by(OutboundMessage.id))
            if m.to_phone in phones and m.request_id == request.id]


@pytest.mark.parametrize("status, code", [(500, 20500), (503, 20503), (429, 20429)])
def test_temporary_errors_are_retried_and_the_sms_leaves_once(offered, fake_twilio, status, code):
    request, near, _ = offered
    message = offer_messages(request, near)[0]
    fake_twilio.fail_next(status=status, code=code, count=2)
    for _ in range(2):
        with pytest.raises(Exception):  # RQ sees the failure and retries with backoff
            jobs.send_message(message.id)
        db.session.expire_all()
        assert message.status == OutboundStatus.pending
    assert jobs.send_message(message.id) == "sent"
    assert jobs.send_message(message.id) == "skip"  # a duplicate job changes nothing
    assert [m["to"] for m in fake_twilio.messages] == [message.to_phone]
    assert [a["status"] for a in fake_twilio.failed_attempts] == [status, status]
    db.session.expire_all()
    assert message.attempts == 3 and [h.status for h in message.history] == ["retry", "retry", "sent"]


@pytest.mark.parametrize("code", [21211, 21610])
def test_unreachable_team_counts_as_a_decline_at_once(offered, fake_twilio, code):
    request, near, far = offered
    for member in near.members:
        fake_twilio.fail_for(member.phone, status=400, code=code)
    for message in offer_messages(request, near):
        assert jobs.send_message(message.id) == "failed"  # not retried: no exception for RQ
    db.session.expire_all()
    assert {m.status for m in offer_messages(request, near)} == {OutboundStatus.failed}
    assert {m.error_code for m in offer_messages(request, near)} == {str(code)}
    assert request.offers[0].status == OfferStatus.expired and request.offers[0].reason == "短信无法送达"
    assert request.offers[1].team_id == far.id  # no waiting for OFFER_TIMEOUT_SECONDS
    assert len(fake_twilio.failed_attempts) == 2 and fake_twilio.messages == []


def test_one_unreachable_member_does_not_move_the_offer(offered, fake_twilio):
    request, near, _ = offered
    fake_twilio.fail_for(near.members[0].phone, status=400, code=21610)
    for message in offer_messages(request, near):
        jobs.send_message(message.id)
    db.session.expire_all()
    assert [o.status for o in request.offers] == [OfferStatus.open]


def test_a_timeout_is_looked_up_before_sending_again(offered, fake_twilio, twilio_app):
    request, near, _ = offered
    message = offer_messages(request, near)[0]
    fake_twilio.hang_after_create(2)  # Twilio takes the SMS but answers after our 1 s timeout
    with pytest.raises(Exception):
        jobs.send_message(message.id)
    db.session.expire_all()
    assert message.status == OutboundStatus.sending  # in doubt, not pending
    fake_twilio.hang_after_create(0)
    assert jobs.send_message(message.id) == "skip"  # too soon: the first attempt might still be on the wire
    message.attempted_at = message.attempted_at.replace(year=2000)  # the in-flight window has passed
    db.session.commit()
    assert jobs.send_message(message.id) == "found"
    db.session.expire_all()
    assert message.status == OutboundStatus.sent and message.provider_sid == fake_twilio.messages[0]["sid"]
    assert len(fake_twilio.messages) == 1  # the member got one copy


def test_a_timeout_the_provider_never_took_is_sent_again(offered, fake_twilio):
    request, near, _ = offered
    message = offer_messages(request, near)[0]
    fake_twilio.delay(2)  # no answer, and nothing created
    with pytest.raises(Exception):
        jobs.send_message(message.id)
    fake_twilio.delay(0)
    db.session.expire_all()
    message.attempted_at = message.attempted_at.replace(year=2000)
    db.session.commit()
    assert jobs.send_message(message.id) == "sent"
    assert [m["to"] for m in fake_twilio.messages] == [message.to_phone]
