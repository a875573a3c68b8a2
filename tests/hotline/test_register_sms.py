"""The register's SMS through signed webhooks: a paired member's `V`/`访` report in every form, echoed with the
household's name; a needs-help report that becomes a request and is offered; the household's 平安 after the
hotline's check-in SMS, which is never read as a new request."""
from datetime import timedelta

import pytest
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from dispatch.register import hotline
from dispatch.register import round as register_round
from dispatch.runtime import jobs
from dispatch.runtime.unit_of_work import run_and_commit
from models import (Checkin, CheckinStatus, Contact, Language, OutboundMessage, Request, RequestStatus, db)
from tests.support.webhooks import run_queued_jobs, signed_post, sms_form, twiml_messages


def say(client, app, phone, body) -> str:
    [answer] = twiml_messages(signed_post(client, app, "/twilio/sms", sms_form(phone, body)))
    return answer


def contacts():
    db.session.expire_all()
    return [(c.household.head_name, str(c.channel), str(c.outcome)) for c in
            db.session.scalars(select(Contact).order_by(Contact.id))]


@pytest.fixture
def listed(app, ctx, make):
    """A paired member whose list, made yesterday, is 1 红户 (red), 2 乌云; a team on duty near them."""
    gacha = make.gacha(name="哈日根图嘎查")
    team = make.team(place=gacha, members=2, lat=38.1, lon=108.1)
    member = team.members[0]
    red = make.register_household(place=gacha, needs="", risk="red", contact=member, name="红户")
    other = make.register_household(place=gacha, contact=member, name="乌云")
    far = make.register_household(place=make.gacha(name="南嘎查"), contact=None, name="远户")
    db.session.commit()
    run_and_commit(lambda s, now: register_round.run_round(s, now - timedelta(days=1), app.config))
    return member, red, other, far, team


def test_v_reports_are_echoed_with_the_households_name_a_day_after_the_list(app, client, listed):
    member, red, other, _, _ = listed
    assert say(client, app, member.phone, "V 2 1") == f"已记录：乌云（{other.ref}）一切平安，谢谢您。"
    assert say(client, app, member.phone, "访 1 3") == f"已记录：未联系上红户（{red.ref}），请尽快再联系。"
    assert say(client, app, member.phone, "ｖ２　好") == f"已记录：乌云（{other.ref}）一切平安，谢谢您。"  # full-width
    assert say(client, app, member.phone, f"V {red.ref.lower()} 平安") == f"已记录：红户（{red.ref}）一切平安，谢谢您。"
    assert contacts() == [("乌云", "visit", "well"), ("红户", "visit", "not_reached"), ("乌云", "visit", "well"),
                          ("红户", "visit", "well")]


@pytest.mark.parametrize("body, answer", [
    ("V 9 1", "您的名单里没有“9”，请按名单序号或户号回复，如“V 2 1”。"),
    ("V", "请回复“V 序号 结果”：1平安 2需帮助 3未联系上，如“V 2 1”。"),
    ("V 2", "请回复“V 序号 结果”：1平安 2需帮助 3未联系上，如“V 2 1”。"),
    ("V 2 7", "请回复“V 序号 结果”：1平安 2需帮助 3未联系上，如“V 2 1”。"),
    ("访 2 很好", "请回复“V 序号 结果”：1平安 2需帮助 3未联系上，如“V 2 1”。"),
])
def test_a_bad_number_or_outcome_gets_a_clear_answer_and_records_nothing(app, client, listed, body, answer):
    member = listed[0]
    assert say(client, app, member.phone, body) == answer
    assert contacts() == [] and db.session.query(Request).count() == 0


def test_a_household_outside_the_members_pairs_and_gacha_is_unknown(app, client, listed):
    member, far = listed[0], listed[3]
    assert say(client, app, member.phone, f"V {far.ref} 1") == f"您的名单里没有“{far.ref}”，请按名单序号或户号回复，如“V 2 1”。"
    assert contacts() == []


def test_needs_help_opens_a_request_reported_by_the_member_and_it_is_offered(app, client, listed):
    member, red, _, _, team = listed
    answer = say(client, app, member.phone, "V 1 2 1 缺降压药")
    request = db.session.scalar(select(Request))
    assert answer == f"已记录：红户需要帮助，求助编号{request.ref}，正在派服务队。"
    assert (request.household_id, request.category, request.text, request.caller_phone) == \
        (red.id, 1, "缺降压药", member.phone)
    assert any(e.kind == "reported_by_member" and member.name in e.actor for e in request.events)
    run_queued_jobs(app)
    db.session.expire_all()
    assert db.session.get(Request, request.id).status == RequestStatus.offered
    offers = db.session.scalars(select(OutboundMessage).where(OutboundMessage.template == "offer")).all()
    assert {m.to_phone for m in offers} == {m.phone for m in team.members}
    assert all("红户" in m.body for m in offers)
    assert contacts() == [("红户", "visit", "needs_help")]
    # Done by the team: a contact too, from the request.
    other = team.members[1]
    say(client, app, other.phone, "1")
    say(client, app, other.phone, f"0 {request.ref}")
    assert contacts()[-1] == ("红户", "request", "well")


def test_a_mongolian_member_is_answered_in_mongolian(app, client, listed):
    member, _, other, _, _ = listed
    member.language = Language.mn_cyrl
    db.session.commit()
    assert say(client, app, member.phone, "В 2 сайн") == f"Бүртгэв: 乌云 ({other.ref}) сайн байна. Баярлалаа."
    member.language = Language.mn  # the traditional script, as Inner Mongolia writes it
    db.session.commit()
    assert say(client, app, member.phone, "V 2 ᠰᠠᠶᠢᠨ") == f"ᠪᠦᠷᠢᠳᠬᠡᠪᠡ: 乌云 ({other.ref}) ᠰᠠᠶᠢᠨ᠃ ᠪᠠᠶᠠᠷᠯᠠᠯ᠎ᠠ᠃"


@pytest.fixture
def texted(app, ctx, make):
    """A household on the register that reads (sms_language set): the round texts it. (member, household, checkin)"""
    gacha = make.gacha()
    member = make.team(place=gacha).members[0]
    reads = make.register_household(place=gacha, contact=member, name="识字户")
    reads.sms_language = Language.zh
    db.session.commit()
    run_and_commit(lambda s, now: register_round.run_round(s, now, app.config))
    return member, reads, db.session.scalar(select(Checkin))


def test_the_households_pingan_answers_the_check_in_sms_and_a_need_is_still_a_request(app, client, texted):
    member, reads, checkin = texted
    [sms] = db.session.scalars(select(OutboundMessage).where(OutboundMessage.template == "checkin_herder")).all()
    assert sms.to_phone == reads.phones[0].phone and "回复“平安”" in sms.body
    phone = reads.phones[0].phone
    assert say(client, app, phone, "平安") == "收到，识字户一切平安，谢谢您。需要帮助时随时发短信或来电。"
    db.session.expire_all()
    assert db.session.get(Checkin, checkin.id).status == CheckinStatus.answered
    assert contacts() == [("识字户", "sms", "well")]
    assert db.session.query(Request).count() == 0
    assert "编号" in say(client, app, phone, "1")  # a digit after the check-in is a request for medicine, as always
    assert db.session.scalar(select(Request.category)) == 1


def later(app, checkin, after) -> str:
    """The look-again job's work, `after` from now (a fake clock)."""
    return run_and_commit(lambda s, now: hotline.try_again(s, checkin.id, now + after, app.config))


def test_no_answer_twice_asks_the_paired_member_to_visit(app, client, texted):
    member, reads, checkin = texted
    assert jobs.checkin_again(checkin.id) == "early"  # the reply window is not over yet
    day = timedelta(hours=app.config["CHECKIN_REPLY_HOURS"])
    assert later(app, checkin, day) == "again"  # what the scheduler runs when the reply window is over
    assert later(app, checkin, day + timedelta(minutes=1)) == "early"  # the same job twice: not a second try
    assert later(app, checkin, 2 * day) == "given_up"
    assert later(app, checkin, 3 * day) == "skip"
    run_queued_jobs(app)
    db.session.expire_all()
    sent = db.session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)).all()
    assert [m.template for m in sent if m.to_phone == reads.phones[0].phone] == ["checkin_herder"] * 2
    [visit] = [m for m in sent if m.template == "checkin_visit"]
    assert visit.to_phone == member.phone and "识字户" in visit.body and reads.ref in visit.body
    assert contacts() == [("识字户", "sms", "not_reached")]
    # A late 平安 still counts, and is still not a request.
    assert "识字户一切平安" in say(client, app, reads.phones[0].phone, "平安")
    assert contacts()[-1] == ("识字户", "sms", "well") and db.session.query(Request).count() == 0


def test_the_check_in_waits_its_reply_window(app, ctx, make):
    gacha = make.gacha()
    reads = make.register_household(place=gacha, name="识字户")
    reads.sms_language = Language.zh
    db.session.commit()
    now = run_and_commit(lambda s, now: register_round.run_round(s, now, app.config) and now)
    [checkin] = db.session.scalars(select(Checkin)).all()
    assert hotline.recent_sms_checkin(db.session, reads.phones[0].phone, now, app.config).id == checkin.id
    registry = ScheduledJobRegistry(queue=app.extensions["hotline.queue"].queue)
    when = registry.get_scheduled_time(f"checkin-again-{checkin.id}-1")
    assert abs(when - (now + timedelta(hours=app.config["CHECKIN_REPLY_HOURS"]))) < timedelta(seconds=2)
