"""The hotline's check-in call to a household on the register, through the voice webhooks: placed with the
real twilio client, `1` all well, `2` I need help (a request, offered like any other), silence repeated twice;
no answer twice and the paired member is asked to visit."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from dispatch.register import calls, hotline
from dispatch.register import round as register_round
from dispatch.runtime import jobs
from dispatch.runtime.unit_of_work import run_and_commit
from hotline.gateways.twilio import TwilioGateway
from models import (Call, CallKind, CallStep, Checkin, CheckinStatus, Contact, OutboundMessage, Request,
                    RequestStatus, db)
from tests.support.fake_twilio import FakeTwilio
from tests.support.voice import Call as TwilioCall
from tests.support.webhooks import run_queued_jobs


def contacts():
    db.session.expire_all()
    return [(str(c.channel), str(c.outcome)) for c in db.session.scalars(select(Contact).order_by(Contact.id))]


def checkin_calls():
    db.session.expire_all()
    return list(db.session.scalars(select(Call).where(Call.kind == CallKind.checkin).order_by(Call.id)))


@pytest.fixture
def called(app, ctx, make):
    """A household on the register that does not read (no sms_language): the round rings it."""
    gacha = make.gacha(name="哈日根图嘎查")
    team = make.team(place=gacha, members=2, lat=38.1, lon=108.1)
    home = make.register_household(place=gacha, contact=team.members[0], name="乌云", language="mn")
    db.session.commit()
    run_and_commit(lambda s, now: register_round.run_round(s, now, app.config))
    run_queued_jobs(app)  # the console gateway places the call; the member's list goes out
    return home, team


def later(app, checkin, after) -> str:
    """The look-again job's work, `after` from now (a fake clock)."""
    return run_and_commit(lambda s, now: hotline.try_again(s, checkin.id, now + after, app.config))


def pick_up(app, client, call_row) -> TwilioCall:
    phone = TwilioCall(client, app, call_row.to_phone, sid=call_row.call_sid, outbound=True)
    phone.post(f"{app.config['PUBLIC_BASE_URL']}/twilio/voice/checkin?call={call_row.id}")
    return phone


def test_pressing_1_is_a_contact_all_well(app, client, called):
    home, _ = called
    [ring] = checkin_calls()
    assert ring.step == CallStep.placed and ring.to_phone == home.phones[0].phone
    phone = pick_up(app, client, ring)
    assert phone.twiml.heard() == ["mn/checkin_intro", "mn/checkin_keys"]  # the language they hear
    action = phone.twiml.find("Gather").get("action")
    end = phone.press("1")
    assert end.heard() == ["mn/checkin_thanks", "mn/goodbye"] and end.hangs_up
    assert phone.post(action, Digits="1").heard()[0] == "mn/checkin_thanks"  # posted twice: one contact
    assert contacts() == [("call", "well")]
    assert db.session.scalar(select(Checkin.status)) == CheckinStatus.answered


def test_pressing_2_opens_a_request_for_the_household_that_is_offered(app, client, called):
    home, team = called
    phone = pick_up(app, client, checkin_calls()[0])
    action = phone.twiml.find("Gather").get("action")
    help_ = phone.press("2")
    request = db.session.scalar(select(Request))
    assert help_.heard()[0] == "mn/checkin_help" and help_.digits_read("mn") == request.ref * 2
    assert request.household_id == home.id and request.channel == "voice"
    phone.post(action, Digits="2")  # posted twice: still one request
    assert db.session.query(Request).count() == 1
    assert contacts() == [("call", "needs_help")]
    run_queued_jobs(app)
    db.session.expire_all()
    assert db.session.get(Request, request.id).status == RequestStatus.offered
    offered = db.session.scalars(select(OutboundMessage.to_phone).where(OutboundMessage.template == "offer")).all()
    assert set(offered) == {m.phone for m in team.members}


def test_silence_repeats_the_question_twice_then_the_call_ends_and_is_tried_again(app, client, called):
    home, team = called
    [ring] = checkin_calls()
    phone = pick_up(app, client, ring)
    assert phone.silence().heard()[0] == "mn/again"
    assert phone.press("7").heard()[0] == "mn/again"
    assert phone.silence().heard() == ["mn/goodbye"]
    assert phone.hang_up("completed").status_code == 204
    [checkin] = db.session.scalars(select(Checkin)).all()
    assert checkin.status == CheckinStatus.waiting and contacts() == []
    assert jobs.checkin_again(checkin.id) == "early"  # not before CHECKIN_RETRY_MINUTES
    wait = timedelta(minutes=app.config["CHECKIN_RETRY_MINUTES"])
    assert later(app, checkin, wait) == "again"
    run_queued_jobs(app)
    first, second = checkin_calls()
    assert second.step == CallStep.placed
    TwilioCall(client, app, second.to_phone, sid=second.call_sid, outbound=True).hang_up("no-answer")
    assert later(app, checkin, wait) == "early"  # the second call only just rang
    assert later(app, checkin, 2 * wait + timedelta(minutes=1)) == "given_up"
    run_queued_jobs(app)
    db.session.expire_all()
    [visit] = db.session.scalars(select(OutboundMessage).where(OutboundMessage.template == "checkin_visit")).all()
    assert visit.to_phone == team.members[0].phone
    assert visit.body == (f"【请走访】热线两次未联系上乌云（{home.ref}，电话{home.phones[0].phone}），请尽快上门看望，"
                          f"之后回复“V {home.ref} 结果”。")
    assert contacts() == [("call", "not_reached")]


def test_the_call_goes_through_the_real_twilio_client(app, client, ctx, make):
    home = make.register_household(name="乌云")
    db.session.commit()
    run_and_commit(lambda s, now: register_round.run_round(s, now, app.config))
    [ring] = checkin_calls()
    with FakeTwilio() as fake:
        gateway = TwilioGateway(fake.account_sid, fake.auth_token, "+864778512345", app.config["PUBLIC_BASE_URL"],
                                fake.base_url)
        assert run_and_commit(lambda s, now: calls.place_call(s, ring.id, gateway, now, app.config)) == "placed"
        [placed] = fake.calls
    base = app.config["PUBLIC_BASE_URL"]
    assert placed["to"] == home.phones[0].phone and placed["url"] == f"{base}/twilio/voice/checkin?call={ring.id}"
    assert placed["status_callback"] == f"{base}/twilio/status"
    assert checkin_calls()[0].call_sid == placed["sid"]


def test_a_call_that_is_not_ours_hears_goodbye(app, client, ctx):
    phone = TwilioCall(client, app, "+8613900000099", outbound=True)
    twiml = phone.post(f"{app.config['PUBLIC_BASE_URL']}/twilio/voice/checkin?call=999")
    assert twiml.hangs_up and twiml.heard()[0] == "mn/checkin_thanks"
