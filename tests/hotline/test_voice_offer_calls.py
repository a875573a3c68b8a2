"""Calls that read an offer to a duty member: when the offer SMS was not delivered, or nobody answered by half
the offer's time. `1` accepts, `2` declines, by the same rules as an SMS reply: exactly one holder."""
from datetime import timedelta

import pytest
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from dispatch.ladder import member_calls
from dispatch.runtime import jobs
from dispatch.runtime.unit_of_work import run_and_commit
from hotline.gateways.twilio import TwilioGateway
from models import (Call, CallKind, CallStep, Offer, OfferStatus, OutboundMessage, OutboundStatus, Request,
                    RequestStatus, db)
from tests.support.fake_twilio import FakeTwilio
from tests.support.voice import Call as TwilioCall
from tests.support.webhooks import run_queued_jobs, signed_post, sms_form, twiml_messages


def request_offered(app, client, make, members=2, teams=1):
    """A herder texts for medicine; the jobs offer it to the nearest team. Returns (herder phone, teams)."""
    gacha = make.gacha()
    herder = make.household(place=gacha, name="乌云")
    made = [make.team(place=gacha, members=members, lat=38.1 + 0.2 * i, lon=108.1) for i in range(teams)]
    db.session.commit()
    signed_post(client, app, "/twilio/sms", sms_form(herder.phones[0].phone, "1"))
    run_queued_jobs(app)
    return herder.phones[0].phone, made


def the_offer():
    db.session.expire_all()
    return db.session.scalars(select(Offer).order_by(Offer.id)).first()


def calls_to(phone):
    db.session.expire_all()
    return list(db.session.scalars(select(Call).where(Call.to_phone == phone, Call.kind == CallKind.offer)))


def answer(app, client, call_row) -> TwilioCall:
    """The member picks up: Twilio fetches the call's URL (what the gateway asked it to fetch)."""
    phone = TwilioCall(client, app, call_row.to_phone, sid=call_row.call_sid, outbound=True)
    phone.post(f"{app.config['PUBLIC_BASE_URL']}/twilio/voice/offer?call={call_row.id}")
    return phone


def test_an_offer_schedules_a_call_at_half_its_timeout(app, client, ctx, make):
    request_offered(app, client, make)
    offer = the_offer()
    registry = ScheduledJobRegistry(queue=app.extensions["hotline.queue"].queue)
    assert f"call-offer-{offer.id}" in registry.get_job_ids()
    when = registry.get_scheduled_time(f"call-offer-{offer.id}")
    half = timedelta(seconds=app.config["OFFER_TIMEOUT_SECONDS"] / 2)
    assert abs(when - (offer.created_at + half)) < timedelta(seconds=2)


def test_undelivered_offer_sms_rings_that_member_who_accepts_with_1(app, client, ctx, make):
    herder_phone, [team] = request_offered(app, client, make)
    unreached, other = team.members
    [offer_sms] = db.session.scalars(select(OutboundMessage).where(OutboundMessage.to_phone == unreached.phone)).all()
    callback = {"MessageSid": offer_sms.provider_sid, "MessageStatus": "undelivered", "ErrorCode": "30003",
                "AccountSid": "AC" + "0" * 32}
    assert signed_post(client, app, "/twilio/status", callback).status_code == 204
    run_queued_jobs(app)  # the console gateway places the call
    [ring] = calls_to(unreached.phone)
    assert ring.step == CallStep.placed and ring.call_sid.startswith("CAconsole")
    assert calls_to(other.phone) == []  # their SMS arrived: no call yet

    phone = answer(app, client, ring)
    heard = phone.twiml.heard()
    ref = the_offer().request.ref
    assert heard[:2] == ["zh/offer_intro", "zh/offer_ref"] and "zh/cat_1" in heard and heard[-1] == "zh/offer_keys"
    assert phone.twiml.digits_read("zh") == ref and "say:哈日根图嘎查，乌云" in heard

    action = phone.twiml.find("Gather").get("action")
    accepted = phone.press("1")
    assert accepted.heard()[0] == "zh/offer_accepted"
    assert accepted.digits_read("zh") == herder_phone.removeprefix("+86") * 2  # the herder's number, twice
    request = the_offer().request
    assert request.status == RequestStatus.accepted and request.holder_member_id == unreached.id
    [late] = twiml_messages(signed_post(client, app, "/twilio/sms", sms_form(other.phone, "1")))
    assert ref in late  # told it is taken
    assert db.session.query(Offer).filter_by(status=OfferStatus.accepted).count() == 1
    assert phone.post(action, Digits="1").heard()[0] == "zh/offer_accepted"  # posted twice: the same answer


def test_nobody_answers_by_half_time_every_member_is_called_and_2_declines(app, client, ctx, make):
    _, (near, far) = request_offered(app, client, make, teams=2)
    offer = the_offer()
    jobs.call_offer_members(offer.id)  # what the scheduler runs at half the timeout
    jobs.call_offer_members(offer.id)  # twice: nobody is rung twice
    run_queued_jobs(app)
    rings = [calls_to(m.phone) for m in near.members]
    assert all(len(r) == 1 and r[0].step == CallStep.placed for r in rings)

    first = answer(app, client, rings[0][0])
    declined = first.press("2")
    assert declined.heard()[0] == "zh/offer_declined" and declined.hangs_up
    assert the_offer().status == OfferStatus.declined
    run_queued_jobs(app)
    assert [o.team_id for o in the_offer().request.offers] == [near.id, far.id]

    second = answer(app, client, rings[1][0])  # a teammate picks up after the offer moved on
    assert second.twiml.heard()[0] == "zh/offer_stale" and second.twiml.hangs_up


def test_two_members_press_1_in_their_calls_and_exactly_one_holds_it(app, client, ctx, make):
    _, [team] = request_offered(app, client, make)
    jobs.call_offer_members(the_offer().id)
    run_queued_jobs(app)
    phones = [answer(app, client, calls_to(m.phone)[0]) for m in team.members]
    outcomes = [phone.press("1").heard()[0] for phone in phones]
    assert outcomes == ["zh/offer_accepted", "zh/offer_taken"]
    assert db.session.query(Offer).filter_by(status=OfferStatus.accepted).count() == 1


def test_no_call_once_the_offer_is_taken(app, client, ctx, make):
    _, [team] = request_offered(app, client, make)
    signed_post(client, app, "/twilio/sms", sms_form(team.members[0].phone, "1"))
    jobs.call_offer_members(the_offer().id)
    assert db.session.query(Call).count() == 0


def test_silence_repeats_the_offer_twice_then_the_call_ends(app, client, ctx, make):
    _, [team] = request_offered(app, client, make, members=1)
    jobs.call_offer_members(the_offer().id)
    run_queued_jobs(app)
    phone = answer(app, client, calls_to(team.members[0].phone)[0])
    assert phone.silence().heard()[0] == "zh/again"
    assert phone.press("7").heard()[0] == "zh/again"
    end = phone.silence()
    assert end.heard() == ["zh/goodbye"] and end.hangs_up
    assert the_offer().status == OfferStatus.open  # nothing decided: the timeout still moves it on


@pytest.fixture
def fake_twilio():
    with FakeTwilio() as fake:
        yield fake


def test_the_call_is_placed_through_the_real_twilio_client(app, client, ctx, make, fake_twilio):
    _, [team] = request_offered(app, client, make, members=1)
    member = team.members[0]
    run_and_commit(lambda s, now: member_calls.call_members(s, the_offer().id, now, app.config))
    [ring] = calls_to(member.phone)
    gateway = TwilioGateway(fake_twilio.account_sid, fake_twilio.auth_token, "+864778512345",
                            app.config["PUBLIC_BASE_URL"], fake_twilio.base_url)
    assert run_and_commit(lambda s, now: member_calls.place_call(s, ring.id, gateway, now, app.config)) == "placed"

    [placed] = fake_twilio.calls
    base = app.config["PUBLIC_BASE_URL"]
    assert placed["to"] == member.phone and placed["from"] == "+864778512345"
    assert placed["url"] == f"{base}/twilio/voice/offer?call={ring.id}"
    assert placed["status_callback"] == f"{base}/twilio/status"
    db.session.expire_all()
    assert db.session.get(Call, ring.id).call_sid == placed["sid"]

    # The member does not pick up: Twilio's status callback marks the call missed; the offer stands.
    phone = TwilioCall(client, app, member.phone, sid=placed["sid"], outbound=True)
    assert phone.hang_up("no-answer").status_code == 204
    db.session.expire_all()
    assert db.session.get(Call, ring.id).step == CallStep.missed
    assert the_offer().status == OfferStatus.open and db.session.query(Request).count() == 1


def test_a_refused_call_is_marked_failed_and_not_retried(app, client, ctx, make, fake_twilio):
    _, [team] = request_offered(app, client, make, members=1)
    run_and_commit(lambda s, now: member_calls.call_members(s, the_offer().id, now, app.config))
    [ring] = calls_to(team.members[0].phone)
    fake_twilio.fail_next(status=400, code=21211, message="Invalid 'To' Phone Number")
    gateway = TwilioGateway(fake_twilio.account_sid, fake_twilio.auth_token, "+864778512345",
                            app.config["PUBLIC_BASE_URL"], fake_twilio.base_url)
    assert run_and_commit(lambda s, now: member_calls.place_call(s, ring.id, gateway, now, app.config)) == "failed"
    db.session.expire_all()
    assert db.session.get(Call, ring.id).step == CallStep.failed


def test_an_offer_sms_over_the_members_daily_budget_becomes_a_call_and_the_timeline_says_so(app, client, ctx, make):
    before, app.config["SMS_DAILY_BUDGET"] = app.config["SMS_DAILY_BUDGET"], 0  # every member's day is spent
    try:
        herder_phone, [team] = request_offered(app, client, make)
    finally:
        app.config["SMS_DAILY_BUDGET"] = before
    offer_texts = db.session.scalars(select(OutboundMessage).where(OutboundMessage.offer_id == the_offer().id)).all()
    assert {m.status for m in offer_texts} == {OutboundStatus.blocked}
    rings = [call for member in team.members for call in calls_to(member.phone)]
    assert len(rings) == 2 and all(ring.step == CallStep.placed for ring in rings)
    events = the_offer().request.events
    for member in team.members:  # not just "offered": the SMS that did not go, and the call that went instead
        assert any(e.kind == "sms_blocked" and e.detail.startswith("*" * 10 + member.phone[-4:]) for e in events)
        assert any(e.kind == "member_called" and member.phone in e.detail for e in events)
