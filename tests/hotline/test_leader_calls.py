"""An escalation reaches a person. A leader whose escalation SMS will not arrive (the day's budget spent,
undelivered) is rung and hears it; `1` confirms. A leader reached neither by SMS nor by call is passed over at
once: the township leader, then the admins. The timeline says what really happened, not "the leaders were told"."""
import pytest
from sqlalchemy import select

from dispatch.ladder import escalation
from dispatch.messaging import outbox
from dispatch.requests.intake import open_request_for
from dispatch.runtime.unit_of_work import utcnow
from models import Call, CallKind, CallStep, LeaderRole, OutboundMessage, OutboundStatus, Request, db
from tests.hotline.dashboard.conftest import sign_in
from tests.support.voice import Call as TwilioCall
from tests.support.webhooks import run_queued_jobs, signed_post

LEADER_EVENTS = ("leaders_told", "leader_unreached", "leader_called", "leader_heard", "leader_call_unanswered",
                 "no_leader_reached")


@pytest.fixture
def one_sms_a_day(app):
    """Every phone may be sent one SMS a day, for this test."""
    before = app.config["SMS_DAILY_BUDGET"]
    app.config["SMS_DAILY_BUDGET"] = 1
    yield
    app.config["SMS_DAILY_BUDGET"] = before


def escalate(app, household):
    """A request nobody took: the leaders hold it now. Commits and runs the jobs, as the worker would."""
    request = open_request_for(db.session, caller=household.phones[0].phone, category=1, text="",
                               household=household, now=utcnow(), channel="sms")
    escalation.escalate(db.session, request, utcnow(), app.config, why="3支服务队未接单")
    db.session.commit()
    outbox.flush(db.session, app.extensions["hotline.queue"])
    run_queued_jobs(app)
    return request


@pytest.fixture
def silenced(app, make, one_sms_a_day):
    """The gacha secretary has had the day's one SMS (an escalation this morning); now a second escalation."""
    gacha = make.gacha()
    secretary, township = make.leader(gacha), make.leader(gacha.parent, role=LeaderRole.township_leader)
    admin = make.leader(gacha.parent, role=LeaderRole.admin)
    herder, neighbour = make.household(place=gacha, name="乌云"), make.household(place=gacha, name="巴特尔")
    db.session.commit()
    escalate(app, household=neighbour)
    request = escalate(app, household=herder)
    return request, secretary, township, admin, herder


def leader_calls_to(phone):
    db.session.expire_all()
    return list(db.session.scalars(select(Call).where(Call.to_phone == phone, Call.kind == CallKind.leader)))


def texts_to(phone):
    db.session.expire_all()
    return list(db.session.scalars(select(OutboundMessage).where(
        OutboundMessage.to_phone == phone, OutboundMessage.template == "escalated_leader").order_by(OutboundMessage.id)))


def story(request):
    db.session.expire_all()
    return [e.kind for e in db.session.get(Request, request.id).events if e.kind in LEADER_EVENTS]


def pick_up(app, client, ring) -> TwilioCall:
    """The leader picks up: Twilio fetches the URL the gateway gave it for this call."""
    phone = TwilioCall(client, app, ring.to_phone, sid=ring.call_sid, outbound=True)
    phone.post(f"{app.config['PUBLIC_BASE_URL']}/twilio/voice/leader?call={ring.id}")
    return phone


def call_ends(app, client, ring, status):
    form = {"CallSid": ring.call_sid, "CallStatus": status, "Direction": "outbound-api", "From": "+864778512345",
            "To": ring.to_phone, "AccountSid": "AC" + "0" * 32}
    assert signed_post(client, app, "/twilio/status", form).status_code == 204
    run_queued_jobs(app)


def test_a_blocked_escalation_sms_becomes_a_call_the_leader_confirms(app, client, silenced):
    request, secretary, township, admin, herder = silenced
    assert texts_to(secretary.phone)[-1].status == OutboundStatus.blocked
    [ring] = leader_calls_to(secretary.phone)
    assert ring.step == CallStep.placed and ring.call_sid.startswith("CAconsole")

    phone = pick_up(app, client, ring)
    heard = phone.twiml.heard()
    assert heard[:2] == ["zh/leader_intro", "zh/leader_ref"] and "zh/cat_1" in heard and heard[-1] == "zh/leader_keys"
    assert "say:哈日根图嘎查，乌云" in heard
    assert phone.twiml.digits_read("zh") == request.ref + herder.phones[0].phone.removeprefix("+86")
    assert phone.press("1").heard()[0] == "zh/leader_thanks"
    call_ends(app, client, ring, "completed")

    assert story(request) == ["leaders_told", "leader_unreached", "leader_called", "leader_heard"]
    unreached = next(e for e in request.events if e.kind == "leader_unreached")
    assert secretary.name in unreached.detail and "今日短信已达上限" in unreached.detail
    assert texts_to(township.phone) == []  # the secretary has it: the township leader waits for the timeout
    sign_in(client, secretary)
    page = client.get(f"/dashboard/requests/{request.ref}").get_data(as_text=True)
    assert "领导未收到短信" in page and "领导电话确认" in page and "已通知领导" not in page


def test_a_leader_reached_neither_by_sms_nor_by_call_is_passed_over_at_once(app, client, silenced):
    request, secretary, township, admin, herder = silenced
    [ring] = leader_calls_to(secretary.phone)
    call_ends(app, client, ring, "no-answer")
    [told] = texts_to(township.phone)  # now, not after another offer timeout
    assert told.status == OutboundStatus.sent and request.ref in told.body

    # The township leader's SMS is reported undelivered; the call that follows is busy.
    report = {"MessageSid": told.provider_sid, "MessageStatus": "undelivered", "ErrorCode": "30003",
              "AccountSid": "AC" + "0" * 32}
    assert signed_post(client, app, "/twilio/status", report).status_code == 204
    run_queued_jobs(app)
    [ring] = leader_calls_to(township.phone)
    call_ends(app, client, ring, "busy")

    [last_resort] = texts_to(admin.phone)
    assert last_resort.status == OutboundStatus.sent and request.ref in last_resort.body
    assert story(request) == ["leaders_told", "leader_unreached", "leader_called", "leader_call_unanswered",
                              "leaders_told", "leader_unreached", "leader_called", "leader_call_unanswered",
                              "leaders_told"]
    told_whom = [e.detail for e in db.session.get(Request, request.id).events if e.kind == "leaders_told"]
    assert [secretary.name in told_whom[0], township.name in told_whom[1], admin.name in told_whom[2]] == [True] * 3


def test_a_leader_who_picks_up_but_never_presses_1_is_passed_over(app, client, silenced):
    request, secretary, township, admin, herder = silenced
    [ring] = leader_calls_to(secretary.phone)
    phone = pick_up(app, client, ring)
    for _ in range(2):
        assert phone.silence().heard()[0] == "zh/again"  # repeated twice...
    assert phone.silence().hangs_up  # ...then goodbye
    run_queued_jobs(app)
    assert len(texts_to(township.phone)) == 1
    call_ends(app, client, ring, "completed")  # the status callback after it changes nothing more
    assert story(request).count("leader_call_unanswered") == 1


def test_no_call_once_a_team_has_taken_the_request(app, client, make, one_sms_a_day):
    gacha = make.gacha()
    secretary = make.leader(gacha)
    herder, neighbour = make.household(place=gacha), make.household(place=gacha)
    db.session.commit()
    escalate(app, household=neighbour)
    request = open_request_for(db.session, caller=herder.phones[0].phone, category=1, text="", household=herder,
                               now=utcnow(), channel="sms")
    escalation.escalate(db.session, request, utcnow(), app.config, why="3支服务队未接单")
    db.session.commit()
    request.status = request.status.accepted  # a leader reassigned it and a team took it, before the SMS went
    db.session.commit()
    outbox.flush(db.session, app.extensions["hotline.queue"])
    run_queued_jobs(app)
    [ring] = leader_calls_to(secretary.phone)
    assert ring.step == CallStep.done and ring.call_sid is None  # recorded, never rung
    assert story(request) == ["leaders_told", "leader_unreached"]


def test_on_a_modem_an_unreached_leader_is_passed_over_with_no_call(app, make, one_sms_a_day):
    """A modem has no voice line (VOICE_CALLS off): the secretary whose SMS is blocked is not "rung"; the township
    leader is texted at once, and the timeline does not claim a call."""
    app.config["VOICE_CALLS"] = False
    try:
        gacha = make.gacha()
        secretary, township = make.leader(gacha), make.leader(gacha.parent, role=LeaderRole.township_leader)
        herder, neighbour = make.household(place=gacha, name="乌云"), make.household(place=gacha, name="巴特尔")
        db.session.commit()
        escalate(app, household=neighbour)
        request = escalate(app, household=herder)
    finally:
        app.config["VOICE_CALLS"] = True
    [told] = texts_to(township.phone)
    assert told.status == OutboundStatus.sent and request.ref in told.body
    assert [c.step for c in leader_calls_to(secretary.phone)] == [CallStep.done]  # recorded, never placed
    assert "leader_called" not in story(request)
    unreached = [e.detail for e in db.session.get(Request, request.id).events if e.kind == "leader_call_unanswered"]
    assert any("短信猫没有语音" in detail for detail in unreached)
