"""Neighbour medicine sharing and price reports through signed webhooks: what every person is texted, from the
first have to the delivery, and the report on the regulator's phone, the board and the timeline."""
import io

import openpyxl
import pytest
from sqlalchemy import select

from dispatch.messaging import texts
from dispatch.runtime import jobs
from models import Event, LeaderRole, Offer, OutboundMessage, Request, RequestStatus, db
from tests.hotline.dashboard.conftest import sign_in
from tests.hotline.test_voice_offer_calls import answer, calls_to
from tests.support.webhooks import run_queued_jobs, signed_post, sms_form, twiml_messages


def texted(phone) -> list[str]:
    """Every SMS the phone was sent, answers at once included, oldest first."""
    return list(db.session.scalars(select(OutboundMessage.body).where(OutboundMessage.to_phone == phone)
                                   .order_by(OutboundMessage.id)))


def say(client, app, phone, body) -> str:
    [answer] = twiml_messages(signed_post(client, app, "/twilio/sms", sms_form(phone, body)))
    run_queued_jobs(app)
    return answer


@pytest.fixture
def gacha(make):
    return make.gacha(name="哈日根图嘎查")


def test_a_have_and_a_need_are_matched_offered_accepted_and_delivered(app, client, ctx, make, gacha):
    giver = make.household(place=gacha, name="乌云", lat=38.02, lon=108.0)
    receiver = make.household(place=gacha, name="巴特尔", lat=38.1, lon=108.1, language="mn")
    team = make.team(name="第一小分队", place=gacha, members=2)
    secretary = make.leader(gacha)
    db.session.commit()
    giver_phone, receiver_phone = giver.phones[0].phone, receiver.phones[0].phone

    kept = say(client, app, giver_phone, "有 退烧药 2")
    assert "已登记您可分享的退烧药2份" in kept
    found = say(client, app, receiver_phone, "халууны эм 1 хэрэгтэй")
    delivery = db.session.scalar(select(Request).where(Request.category == 6))
    assert f"\u1833\u180b\u1824\u182d\u1820\u1837 {delivery.ref}" in found  # the receiver's own language and script
    assert "\u182c\u1820\u182f\u1820\u182d\u1824\u1828\u202f\u1824 \u1821\u182e" in found  # fever medicine
    assert delivery.status == RequestStatus.offered
    assert db.session.scalar(select(Event).where(Event.request_id == delivery.id, Event.kind == "matched"))

    for member in team.members:  # the team alone learns both phones: where to collect, where to bring
        [offer] = texted(member.phone)
        assert f"【互助{delivery.ref}】" in offer and "乌云" in offer and giver_phone in offer
        assert "巴特尔" in offer and receiver_phone in offer and "退烧药1份" in offer

    taker = team.members[1]
    assert delivery.ref in say(client, app, taker.phone, "1")
    assigned = texted(receiver_phone)[-1]
    assert "第一小分队" in assigned and taker.phone in assigned
    collecting = texted(giver_phone)[-1]
    assert "第一小分队" in collecting and taker.name in collecting and taker.phone in collecting

    assert delivery.ref in say(client, app, taker.phone, f"0 {delivery.ref}")
    db.session.refresh(delivery)
    assert delivery.status == RequestStatus.done
    assert delivery.ref in texted(receiver_phone)[-1] and "Y" in texted(receiver_phone)[-1]  # the closing SMS
    assert "已送到邻居手中" in texted(giver_phone)[-1]
    # No phone given to a stranger: neither resident is ever texted the other's number.
    assert not any(receiver_phone in body for body in texted(giver_phone))
    assert not any(giver_phone in body for body in texted(receiver_phone))

    sign_in(client, secretary)
    page = client.get("/dashboard/sharing").get_data(as_text=True)
    assert "已匹配1件，已送达1件" in page and f"#{delivery.ref}" in page and "已办结" in page
    assert "可分享</th>" in page and "乌云" in page  # one of the two is still on offer


def test_a_need_with_nothing_near_is_kept_and_met_when_a_neighbour_offers(app, client, ctx, make, gacha):
    receiver = make.household(place=gacha, name="巴特尔")
    giver = make.household(place=make.gacha(name="另一个嘎查"), name="乌云")  # same township, other gacha
    make.team(place=gacha)
    db.session.commit()
    kept = say(client, app, receiver.phones[0].phone, "需 抗原")
    assert "附近暂时没有可分享的抗原试剂盒" in kept
    assert "已在册" in say(client, app, receiver.phones[0].phone, "需要抗原")  # no second need
    assert "正有邻居需要" in say(client, app, giver.phones[0].phone, "我家有多余的抗原 3")
    [delivery] = db.session.scalars(select(Request).where(Request.category == 6)).all()
    assert "抗原试剂盒找到了" in texted(receiver.phones[0].phone)[-1]
    assert delivery.caller_phone == receiver.phones[0].phone and delivery.status == RequestStatus.offered


def test_a_stranger_can_share_but_is_not_matched_without_a_place(app, client, ctx):
    answer = say(client, app, "+8613700000077", "有 口罩 5")
    assert "名册里没有您的号码" in answer
    assert db.session.scalar(select(Request)) is None


def test_an_emergency_word_stays_an_emergency(app, client, ctx, make, gacha):
    herder = make.household(place=gacha)
    db.session.commit()
    say(client, app, herder.phones[0].phone, "急 需要退烧药")
    assert db.session.scalar(select(Request.category)) == 9


def test_a_price_report_reaches_the_regulator_the_board_and_the_timeline(app, client, ctx, make, gacha):
    resident = make.household(place=gacha, name="乌云")
    regulator = make.leader(gacha.parent, role=LeaderRole.market_regulator)
    leader = make.leader(gacha.parent, role=LeaderRole.township_leader)
    db.session.commit()
    phone = resident.phones[0].phone
    answer = say(client, app, phone, "镇上药店哄抬物价，布洛芬卖一百元一盒")
    report = db.session.scalar(select(Request))
    assert report.category == 7 and report.status == RequestStatus.escalated
    assert report.ref in answer and "已转市场监管联系人" in answer
    [told] = texted(regulator.phone)
    assert f"【价格举报{report.ref}】哈日根图嘎查" in told and phone in told and "布洛芬卖一百元一盒" in told
    assert texted(leader.phone) == []  # the regulator has it; no team and no township leader is sent
    assert "还卖假药" not in report.text
    signed_post(client, app, "/twilio/sms", sms_form(phone, "还卖假药"))  # a second text joins the open report
    assert db.session.query(Request).count() == 1

    sign_in(client, leader)
    [row] = client.get("/dashboard/api/board").json["calls"]
    assert row["ref"] == report.ref and row["category_label"] == "价格举报"
    assert regulator.name in row["trouble"]
    page = client.get(f"/dashboard/requests/{report.ref}").get_data(as_text=True)
    for text in ("价格举报", "已转市场监管", regulator.name, "还卖假药"):
        assert text in page, text


def test_without_a_regulator_in_the_roster_the_township_leader_gets_the_report(app, client, ctx, make, gacha):
    resident = make.household(place=gacha)
    leader = make.leader(gacha.parent, role=LeaderRole.township_leader)
    db.session.commit()
    answer = say(client, app, resident.phones[0].phone, "小卖部卖假货" + "，价格比平时高好几倍" * 12)
    assert "没有市场监管联系人，已转镇领导" in answer
    [told] = db.session.scalars(select(OutboundMessage).where(OutboundMessage.to_phone == leader.phone)).all()
    assert told.body.endswith("…") and texts.segments(told.body) <= 2  # a long report is cut to fit two SMS
    events = [e.kind for e in db.session.scalar(select(Request)).events]
    assert events == ["received", "no_regulator"]


def test_a_catalogue_service_is_read_from_a_herders_words_and_shown_to_leaders(app, client, ctx, make, gacha):
    herder = make.household(place=gacha)
    leader = make.leader(gacha)
    db.session.commit()
    say(client, app, herder.phones[0].phone, "想请人帮我在网上挂号")
    request = db.session.scalar(select(Request))
    assert request.category == 5 and request.subcategory == "online_booking"  # the menu's digits are unchanged
    sign_in(client, leader)
    [row] = client.get("/dashboard/api/board").json["calls"]
    assert row["category_label"] == "其他求助" and row["subcategory_label"] == "网上预约挂号、互联网医院"


def test_a_member_rung_about_a_delivery_hears_it_read_and_accepts_with_1(app, client, ctx, make, gacha):
    giver, receiver = make.household(place=gacha, name="乌云"), make.household(place=gacha, name="巴特尔")
    team = make.team(place=gacha, members=1)
    db.session.commit()
    say(client, app, giver.phones[0].phone, "有 抗原 1")
    say(client, app, receiver.phones[0].phone, "需 抗原")
    offer = db.session.scalar(select(Offer))
    jobs.call_offer_members(offer.id)  # nobody answered by half the offer's time
    run_queued_jobs(app)
    phone = answer(app, client, calls_to(team.members[0].phone)[0])
    heard = phone.twiml.heard()
    assert "zh/cat_6" in heard and "say:哈日根图嘎查，巴特尔" in heard and heard[-1] == "zh/offer_keys"
    assert phone.press("1").heard()[0] == "zh/offer_accepted"
    assert "来取您登记分享的抗原试剂盒" in texted(giver.phones[0].phone)[-1]


def test_a_member_who_reports_prices_is_placed_by_their_team(app, client, ctx, make, gacha):
    member = make.team(place=gacha, members=1).members[0]
    regulator = make.leader(gacha, role=LeaderRole.market_regulator)
    make.leader(make.gacha(name="别的嘎查"), role=LeaderRole.market_regulator)
    db.session.commit()
    say(client, app, member.phone, "村里小卖部卖假口罩")
    assert db.session.scalar(select(Request.place_id)) == gacha.id
    assert "卖假口罩" in texted(regulator.phone)[0]


def test_price_reports_and_catalogue_services_show_on_the_requests_ledger(app, client, ctx, make, gacha):
    """What a leader downloads: the report under its own category with the regulator it went to, and a request's
    catalogue service in a column of its own."""
    resident, elder = make.household(place=gacha, name="乌云"), make.household(place=gacha, name="巴特尔")
    regulator = make.leader(gacha.parent, role=LeaderRole.market_regulator)
    leader = make.leader(gacha.parent, role=LeaderRole.township_leader)
    db.session.commit()
    say(client, app, resident.phones[0].phone, "镇上药店哄抬物价，布洛芬卖一百元一盒")
    say(client, app, elder.phones[0].phone, "5 帮我在网上挂号")

    sign_in(client, leader)
    download = client.get("/dashboard/ledgers/requests.xlsx")
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(download.data)).active
    header, *rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    by_caller = {row[header.index("求助人")]: dict(zip(header, row)) for row in rows}
    report, booking = by_caller["乌云"], by_caller["巴特尔"]
    assert report["类别"] == "价格举报" and f"转办：已转市场监管：{regulator.name}" in report["升级与处理记录"]
    assert (booking["类别"], booking["服务细类"]) == ("其他求助", "网上预约挂号、互联网医院")
