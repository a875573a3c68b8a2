"""The request's life, driven through dispatch functions with an explicit clock: what each person is sent."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from dispatch.ladder import escalation, offers
from dispatch.conversation.inbound import InboundSms, receive_sms
from models import LeaderRole, OfferStatus, OutboundMessage, Request, RequestStatus, db
from tests.factories import NOW

_sid = iter(range(10**6))


@pytest.fixture
def text(app, ctx):
    """text(phone, body, now) -> the answer, as the webhook would return it; commits like the edge does."""
    def send(phone, body, now=NOW):
        reply = receive_sms(db.session, InboundSms(f"SM{next(_sid):032d}", phone, "+864778512345", body),
                            now, app.config)
        db.session.commit()
        return reply
    return send


def sent_to(phone) -> list[str]:
    """Every SMS recorded for sending to `phone` (not the webhook's own answers), oldest first."""
    return list(db.session.scalars(select(OutboundMessage.body).where(
        OutboundMessage.to_phone == phone, OutboundMessage.template != "reply").order_by(OutboundMessage.id)))


def let_it_time_out(app, offer, now=NOW):
    """Nobody answers `offer`: its time runs out. Returns the moment it did."""
    later = now + timedelta(seconds=app.config["OFFER_TIMEOUT_SECONDS"] + 1)
    offers.expire_offer(db.session, offer.id, later, app.config)
    db.session.commit()
    return later


def dispatch(app, now=NOW):
    request = db.session.scalar(select(Request).order_by(Request.id.desc()))
    offers.offer_to_next_team(db.session, request.id, now, app.config)
    db.session.commit()
    return request


@pytest.fixture
def max_offers(app):
    """set(n): try only n teams before the leaders are told, for this test."""
    before = app.config["MAX_OFFERS"]
    yield lambda n: app.config.update(MAX_OFFERS=n)
    app.config["MAX_OFFERS"] = before


@pytest.fixture
def scene(make):
    """A herder at (38.1, 108.1); a near team of two, a farther one, a team off duty and one without a car."""
    gacha = make.gacha()
    herder = make.household(place=gacha, lat=38.1, lon=108.1, name="巴特尔")
    near = make.team(name="近队", place=gacha, lat=38.12, lon=108.1, members=2)
    far = make.team(name="远队", place=gacha, lat=38.4, lon=108.1)
    make.team(name="休息队", place=gacha, lat=38.1, lon=108.1, on_duty=False)
    make.team(name="无车队", place=gacha, lat=38.1, lon=108.11, vehicle=False)
    secretary = make.leader(gacha)
    township = make.leader(gacha.parent, role=LeaderRole.township_leader)
    db.session.commit()
    return dict(herder=herder.phones[0].phone, near=near, far=far, secretary=secretary, township=township)


def test_herder_text_is_offered_to_nearest_on_duty_team_with_vehicle(app, text, scene):
    reply = text(scene["herder"], "送药")
    request = db.session.scalar(select(Request))
    assert request.ref in reply and "已收到" in reply
    assert request.status == RequestStatus.received and request.category == 1

    dispatch(app)
    assert request.status == RequestStatus.offered
    for member in scene["near"].members:
        [offer_text] = sent_to(member.phone)
        assert request.ref in offer_text and "送药" in offer_text and "巴特尔" in offer_text
        assert scene["herder"] in offer_text and "公里" in offer_text
    assert sent_to(scene["far"].members[0].phone) == []
    reasons = {r["team"]: r["reason"] for r in request.ranking}
    assert reasons["休息队"] == "当前不在值班" and reasons["无车队"] == "本班次无车辆"
    assert [r["team"] for r in request.ranking if r["picked"]] == ["近队"]


def test_first_accept_wins_and_everyone_is_told(app, text, scene):
    text(scene["herder"], "1")
    request = dispatch(app)
    first, second = scene["near"].members
    assert request.ref in text(first.phone, "1")
    db.session.refresh(request)
    assert request.status == RequestStatus.accepted and request.holder_member_id == first.id
    [assigned] = sent_to(scene["herder"])
    assert "近队" in assigned and first.phone in assigned and "蒙K" in assigned
    assert any(first.name in body for body in sent_to(second.phone))
    assert "已由他人接单" in text(second.phone, "好")


def test_decline_moves_offer_to_next_team(app, text, scene):
    text(scene["herder"], "2 头疼")
    request = dispatch(app)
    assert "拒绝" in text(scene["near"].members[0].phone, f"2 {request.ref} 车坏了")
    db.session.refresh(request)
    assert [o.team.name for o in request.offers] == ["近队", "远队"]
    # The captain declines for the team: the offer moves on, and the reason is kept.
    assert request.offers[0].status == OfferStatus.declined and "车坏了" in request.offers[0].reason
    assert request.ref in sent_to(scene["far"].members[0].phone)[0]


def test_silence_moves_on_then_escalates_to_secretary_then_township(app, text, scene, max_offers):
    max_offers(2)
    text(scene["herder"], "4 没有暖气")
    request = dispatch(app)
    later = NOW + timedelta(seconds=app.config["OFFER_TIMEOUT_SECONDS"] + 1)
    assert not offers.expire_offer(db.session, request.offers[0].id, NOW, app.config)  # not yet due
    assert offers.expire_offer(db.session, request.offers[0].id, later, app.config)
    db.session.commit()
    assert [o.team.name for o in request.offers] == ["近队", "远队"]
    even_later = later + timedelta(seconds=app.config["OFFER_TIMEOUT_SECONDS"] + 1)
    offers.expire_offer(db.session, request.offers[1].id, even_later, app.config)
    db.session.commit()
    assert request.status == RequestStatus.escalated
    assert "正在安排" in sent_to(scene["herder"])[-1]
    [to_secretary] = sent_to(scene["secretary"].phone)
    assert request.ref in to_secretary and "2支服务队未接单" in to_secretary
    assert sent_to(scene["township"].phone) == []
    escalation.escalate_further(db.session, request, 2, even_later, app.config)
    db.session.commit()
    assert request.ref in sent_to(scene["township"].phone)[0]


def test_no_team_available_escalates_at_once(app, text, make):
    gacha = make.gacha()
    herder = make.household(place=gacha)
    make.team(place=gacha, on_duty=False)
    secretary = make.leader(gacha)
    db.session.commit()
    text(herder.phones[0].phone, "9")
    request = dispatch(app)
    assert request.status == RequestStatus.escalated
    assert request.ref in sent_to(secretary.phone)[0]
    assert [e.detail for e in request.events if e.kind == "escalated"] == ["没有值班且有车的空闲服务队"]


def test_late_accept_after_timeout_still_wins(app, text, scene):
    text(scene["herder"], "3")
    request = dispatch(app)
    later = NOW + timedelta(seconds=app.config["OFFER_TIMEOUT_SECONDS"] + 1)
    offers.expire_offer(db.session, request.offers[0].id, later, app.config)
    db.session.commit()
    assert request.offers[1].status == OfferStatus.open
    assert request.ref in text(scene["near"].members[0].phone, "1", later)
    db.session.refresh(request)
    assert request.status == RequestStatus.accepted and request.holder_team.name == "近队"
    assert request.offers[1].status == OfferStatus.superseded
    assert any("接单" in body for body in sent_to(scene["far"].members[0].phone)[1:])


def test_done_closes_and_herder_answers_whether_solved(app, text, scene):
    text(scene["herder"], "1")
    request = dispatch(app)
    member = scene["near"].members[0]
    text(member.phone, "1")
    assert "完成" in text(member.phone, f"DONE {request.ref}")
    db.session.refresh(request)
    assert request.status == RequestStatus.done
    assert "解决了回Y" in sent_to(scene["herder"])[-1] and "回1" not in sent_to(scene["herder"])[-1]
    assert "谢谢" in text(scene["herder"], "Y")
    db.session.refresh(request)
    assert request.solved is True
    assert db.session.scalar(select(Request).where(Request.id != request.id)) is None  # "Y" was an answer
    # A bare digit after the closing SMS is a need again (medicine), not an answer to the closing question.
    assert "编号" in text(scene["herder"], "1")
    assert db.session.scalar(select(Request).where(Request.id != request.id)).category == 1


def test_member_with_two_open_offers_must_name_the_reference(app, text, scene, make):
    other = make.household(place=scene["near"].place, lat=38.11, lon=108.1)
    db.session.commit()
    text(scene["herder"], "1")
    first = dispatch(app)
    text(other.phones[0].phone, "2")
    # The near team is not busy until it accepts, so it gets the second offer too.
    second = dispatch(app)
    member = scene["near"].members[0]
    answer = text(member.phone, "1")
    assert first.ref in answer and second.ref in answer
    assert second.ref in text(member.phone, f"1 {second.ref}")
    assert "找到" in text(member.phone, "1 99999")  # "没有找到编号99999的派单"


def test_reply_with_no_offer_and_stale_reference(app, text, scene):
    member = scene["near"].members[0]
    assert "没有待接的派单" in text(member.phone, "1")


def test_leader_open_lists_oldest_first(app, text, scene, make):
    other = make.household(place=scene["near"].place)
    db.session.commit()
    text(scene["herder"], "1", NOW - timedelta(minutes=90))
    text(other.phones[0].phone, "4", NOW - timedelta(minutes=5))
    first, second = db.session.scalars(select(Request).order_by(Request.created_at)).all()
    listing = text(scene["township"].phone, "OPEN")
    assert listing.index(first.ref) < listing.index(second.ref)
    assert "1小时" in listing and "5分钟" in listing and "待派单" in listing
    assert "目前没有" in text(make.leader(make.gacha(name="别的嘎查")).phone, "列表")


def test_leader_open_with_more_calls_than_two_sms_hold_says_how_many_more(app, text, scene, make):
    from dispatch.messaging import texts

    for n in range(60):  # a storm's worth of open calls in the township
        household = make.household(place=scene["near"].place, name=f"户主{n}")
        db.session.commit()
        text(household.phones[0].phone, "1", NOW - timedelta(minutes=120 - n))
    listing = text(scene["township"].phone, "OPEN")
    refs = [r.ref for r in db.session.scalars(select(Request).order_by(Request.created_at, Request.id))]
    lines = listing.split("\n")
    shown = len(lines) - 1
    assert texts.units(listing) <= texts.TWO_SMS  # two SMS at most
    assert 1 < shown < 60 and [line.split()[0] for line in lines[:-1]] == refs[:shown]  # the oldest first
    assert lines[-1] == f"另有{60 - shown}件，请登录工作台查看。"  # the rest counted, none dropped silently


def test_a_flood_makes_one_request_and_one_answer(app, text, scene):
    from models import InboundMessage

    first = text(scene["herder"], "1")
    floods = [text(scene["herder"], body, NOW + timedelta(seconds=n)) for n, body in enumerate(["快点来"] * 20)]
    request = db.session.scalar(select(Request))
    # Stored and joined to the request; the same words are answered once, with the reference
    assert request.ref in first and request.ref in floods[0] and floods[1:] == [""] * 19
    assert db.session.query(Request).count() == 1 and db.session.query(InboundMessage).count() == 21
    assert [e.detail for e in request.events].count("快点来") == 20
    later = text(scene["herder"], "还没来", NOW + timedelta(minutes=1))
    assert request.ref in later and "正在处理" in later  # new words: a short answer again, at once


def test_repeated_unreadable_texts_get_the_menu_once(app, text, scene):
    answers = [text(scene["herder"], "?", NOW + timedelta(seconds=n)) for n in range(5)]
    assert "1送药" in answers[0] and answers[1:] == [""] * 4


def test_empty_text_gets_menu_and_is_stored(app, text, scene):
    from models import InboundMessage

    assert "1送药" in text(scene["herder"], "   ")
    assert db.session.query(Request).count() == 0
    assert db.session.scalar(select(InboundMessage.body)) == "   "


def test_escalated_again_after_a_reassignment_leaders_hear_again(app, text, scene, max_offers):
    from dispatch.leaders import actions

    max_offers(1)
    text(scene["herder"], "1")
    request = dispatch(app)
    later = let_it_time_out(app, request.offers[0])
    assert request.status == RequestStatus.escalated and len(sent_to(scene["secretary"].phone)) == 1
    actions.reassign(db.session, request.id, scene["far"].id, scene["township"], later, app.config)
    db.session.commit()
    again = later + timedelta(seconds=app.config["OFFER_TIMEOUT_SECONDS"] + 1)
    far_offer = next(o for o in request.offers if o.team_id == scene["far"].id)
    offers.expire_offer(db.session, far_offer.id, again, app.config)
    db.session.commit()
    assert request.status == RequestStatus.escalated
    assert len(sent_to(scene["secretary"].phone)) == 2  # a second round is news, not a repeat
    assert sum("正在安排" in body for body in sent_to(scene["herder"])) == 2


def test_caller_the_roster_does_not_know_goes_to_township_leaders_only(app, text, scene, max_offers):
    max_offers(1)
    text("+8613800000999", "救命")
    request = dispatch(app)
    assert request.place is None and "求助人位置未知" in request.ranking[0]["reason"]
    for offer in list(request.offers):  # an emergency goes to two teams at once
        let_it_time_out(app, offer)
    assert request.status == RequestStatus.escalated
    assert sent_to(scene["secretary"].phone) == []
    assert request.ref in sent_to(scene["township"].phone)[0]


def test_an_old_timed_out_offer_does_not_make_members_type_references(app, text, scene, make, max_offers):
    max_offers(1)
    text(scene["herder"], "1")
    first = dispatch(app)
    let_it_time_out(app, first.offers[0])
    assert first.status == RequestStatus.escalated  # leaders hold it for now
    next_day = NOW + timedelta(hours=3)
    other = make.household(place=scene["near"].place, lat=38.1, lon=108.1)
    db.session.commit()
    text(other.phones[0].phone, "2", next_day)
    second = dispatch(app, next_day)
    answer = text(scene["near"].members[0].phone, "1", next_day)
    assert second.ref in answer and "您已接单" in answer and first.ref not in answer
    assert "失效" in text(scene["near"].members[1].phone, f"1 {first.ref}", next_day)


def test_admin_open_lists_every_open_call_and_asking_twice_is_answered(app, text, scene, make):
    from models import LeaderRole

    text(scene["herder"], "1")
    elsewhere = make.household(place=make.gacha(name="别的嘎查"))
    db.session.commit()
    text(elsewhere.phones[0].phone, "3")
    admin = make.leader(scene["near"].place, role=LeaderRole.admin)
    db.session.commit()
    refs = list(db.session.scalars(select(Request.ref)))
    first, second = text(admin.phone, "OPEN"), text(admin.phone, "OPEN")
    assert all(ref in first for ref in refs) and second == first
    assert text(scene["secretary"].phone, "OPEN").count("\n") == 0  # the secretary sees their own gacha's one


def test_senders_that_are_not_phone_numbers_are_never_merged(app, text, scene):
    first, second = text("anonymous", "送药"), text("anonymous", "家里停电了")
    refs = list(db.session.scalars(select(Request.ref).order_by(Request.id)))
    assert len(refs) == 2 and refs[0] in first and refs[1] in second  # two people, two requests
