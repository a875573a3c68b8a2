"""Issue 9, the reading side, through signed webhooks: every inbound text read once, the way its sender meant it.
Each test asserts what the person is texted back, what others are texted, and what the board shows."""
from datetime import timedelta

from sqlalchemy import select

from dispatch.leaders.reports import open_calls
from dispatch.leaders.scope import scope_for
from dispatch.messaging import texts
from models import Event, InboundMessage, LeaderRole, OfferStatus, Request, RequestStatus, db
from tests.support.webhooks import run_queued_jobs, signed_post, sms_form, twiml_messages


def sent_to(phone):
    from models import OutboundMessage
    return [m.body for m in db.session.scalars(select(OutboundMessage).where(
        OutboundMessage.to_phone == phone, OutboundMessage.template != "reply").order_by(OutboundMessage.id))]


def say(app, client, phone, body):
    """Text the duty number; the answer in the webhook's TwiML ("" when there is none), after the jobs ran."""
    answers = twiml_messages(signed_post(client, app, "/twilio/sms", sms_form(phone, body)))
    run_queued_jobs(app)
    db.session.expire_all()
    return answers[0] if answers else ""


def requests():
    return list(db.session.scalars(select(Request).order_by(Request.id)))


def scene(make, members=2):
    gacha = make.gacha()
    herder = make.household(place=gacha)
    team = make.team(name="近队", place=gacha, lat=38.1, lon=108.1, members=members)
    db.session.commit()
    return herder.phones[0].phone, team


def asked(app, client, make, body="1"):
    """A herder who has asked for `body`, the team it is offered to, and the open request."""
    herder, team = scene(make)
    say(app, client, herder, body)
    [request] = requests()
    return herder, team, request


def closed(app, client, make):
    """A herder whose request the team took and reported done: the closing SMS has gone."""
    herder, team, request = asked(app, client, make)
    say(app, client, team.members[0].phone, "1")
    say(app, client, team.members[0].phone, f"0 {request.ref}")
    return herder, request


# 2. A herder with an open request ------------------------------------------------------------------------

def test_an_emergency_text_on_an_open_request_makes_it_one_and_the_board_puts_it_first(app, client, ctx, make):
    herder, near = scene(make)
    gacha = near.place
    make.team(name="远队", place=gacha, lat=38.3, lon=108.3, members=1)
    older = make.household(place=gacha, name="其其格")
    secretary = make.leader(gacha)
    db.session.commit()
    say(app, client, older.phones[0].phone, "3")  # an older call, which would otherwise stand first
    say(app, client, herder, "1")
    request = requests()[-1]
    assert request.category == 1 and [o.team.name for o in request.offers] == ["近队"]

    answer = say(app, client, herder, "9 急 老人摔倒了")
    assert request.ref in answer and "紧急" in answer
    assert request.category == 9 and len(requests()) == 2  # upgraded, not a second request
    assert sorted(o.team.name for o in request.offers if o.status == OfferStatus.open) == ["近队", "远队"]
    assert "紧急" in sent_to(secretary.phone)[-1] and request.ref in sent_to(secretary.phone)[-1]
    for member in near.members:  # the team already offered it reads the herder's words
        assert "老人摔倒了" in sent_to(member.phone)[-1] and f"【补充{request.ref}】" in sent_to(member.phone)[-1]
    board = open_calls(db.session, scope_for(db.session, secretary), request.created_at + timedelta(minutes=1))
    assert board[0]["ref"] == request.ref and board[0]["category"] == 9


def test_detail_on_an_accepted_request_reaches_the_holder_and_the_herder_hears_who_is_coming(
        app, client, ctx, make):
    herder, team, request = asked(app, client, make, "2")
    holder = team.members[1]
    say(app, client, holder.phone, "1")
    answer = say(app, client, herder, "老人腿疼站不起来，路口有白色蒙古包")
    assert request.ref in answer and "近队" in answer and holder.phone in answer and "已转告" in answer
    assert "老人腿疼站不起来" in sent_to(holder.phone)[-1] and herder in sent_to(holder.phone)[-1]
    assert not any("老人腿疼" in body for body in sent_to(team.members[0].phone))  # only the one who holds it
    assert len(requests()) == 1 and request.status == RequestStatus.accepted


def test_detail_while_offered_goes_to_the_offered_members_and_the_herder_hears_a_team_is_being_found(
        app, client, ctx, make):
    herder, team, request = asked(app, client, make)
    answer = say(app, client, herder, "要降压药")
    assert request.ref in answer and "正在联系服务队" in answer
    for member in team.members:
        assert "要降压药" in sent_to(member.phone)[-1]
    assert len(requests()) == 1


def test_a_different_need_while_one_is_open_opens_its_own_request(app, client, ctx, make):
    herder, _, _ = asked(app, client, make)
    answer = say(app, client, herder, "4 家里停电了")
    first, second = requests()
    assert second.ref in answer and "已收到" in answer
    assert (first.category, second.category) == (1, 4)
    # Words of the second need join the second request, not the first
    say(app, client, herder, "电线断了")
    assert [e.detail for e in second.events if e.kind == "message"] == ["电线断了"]


def test_each_new_text_gets_one_short_answer_and_a_third_identical_one_goes_with_the_time(
        app, client, ctx, make):
    herder, _, request = asked(app, client, make)
    first = say(app, client, herder, "快点来")
    assert say(app, client, herder, "快点来") == ""  # the same words again: stored, not answered again
    second = say(app, client, herder, "还没到吗")
    third = say(app, client, herder, "怎么还没来")
    assert first == second and request.ref in first and "正在处理" in first
    assert third.startswith(first) and third != first  # the third identical text carries the local time
    assert texts.segments(third) == 1
    assert any(e.kind == "sms_varied" for e in db.session.scalars(select(Event).where(Event.request_id == request.id)))
    assert db.session.query(InboundMessage).filter_by(from_phone=herder).count() == 5


# 3. The closing question ----------------------------------------------------------------------------------

def test_the_closing_question_is_answered_y_or_n_and_a_digit_after_it_is_a_new_need(app, client, ctx, make):
    herder, request = closed(app, client, make)
    closing = sent_to(herder)[-1]
    assert request.ref in closing and "Y" in closing and "N" in closing and "回1" not in closing
    assert "谢谢" in say(app, client, herder, "没")
    assert request.solved is False
    answer = say(app, client, herder, "2")
    assert len(requests()) == 2 and requests()[1].category == 2 and requests()[1].ref in answer


def test_a_yes_long_after_the_closing_sms_is_not_read_as_an_answer(app, client, ctx, make):
    herder, request = closed(app, client, make)
    request.closed_at -= timedelta(hours=49)
    db.session.commit()
    answer = say(app, client, herder, "Y")
    assert "1送药" in answer and request.solved is None and len(requests()) == 1  # the menu, nothing opened


def test_thanks_after_the_closing_sms_is_thanked_not_a_new_need(app, client, ctx, make):
    herder, request = closed(app, client, make)
    assert "谢谢" in say(app, client, herder, "Y")
    assert "谢谢" in say(app, client, herder, "谢谢你们！")
    assert len(requests()) == 1 and request.solved is True
    assert [e.detail for e in request.events if e.kind == "message"] == ["谢谢你们！"]


# 1 and 4. Members and leaders -------------------------------------------------------------------------------

def test_staff_chatter_opens_nothing_and_is_answered_with_what_they_can_type(app, client, ctx, make):
    herder, team = scene(make)
    leader = make.leader(team.place)
    mongolian, cyrillic = make.member(team, language="mn"), make.member(team, language="mn-Cyrl")
    db.session.commit()
    for body in ("收到", "你好", "ok", "2"):
        answer = say(app, client, team.members[1].phone, body)
        assert "没有待接" in answer and "“1 编号”接单" in answer and "求助" in answer, body
    for body in ("收到", "ok", "DONE 1234"):
        answer = say(app, client, leader.phone, body)
        assert "OPEN" in answer and "DONE 编号" in answer, body
    assert "ᠲᠤᠰᠠᠯᠠᠮᠵᠢ" in say(app, client, mongolian.phone, "ᠰᠠᠶᠢᠨ ᠤᠤ")  # the traditional script
    assert "тусламж" in say(app, client, cyrillic.phone, "сайн уу")
    assert requests() == []
    assert {m.sender_kind for m in db.session.scalars(select(InboundMessage))} == {"member", "leader"}


def test_a_stray_yes_from_a_member_with_nothing_open_hears_nothing_is_open(app, client, ctx, make):
    herder, team, request = asked(app, client, make)
    say(app, client, team.members[0].phone, "1")
    request.offers[0].decided_at -= timedelta(hours=1)  # taken an hour ago: an old story
    db.session.commit()
    for body in ("1", "Y"):
        answer = say(app, client, team.members[1].phone, body)
        assert "没有待接" in answer and request.ref not in answer
    assert len(requests()) == 1


def test_staff_who_ask_for_help_explicitly_are_heard_as_herders(app, client, ctx, make):
    _, team = scene(make)
    leader = make.leader(team.place)
    db.session.commit()
    member = team.members[1]
    answer = say(app, client, member.phone, "求助 家里停电了")
    [request] = requests()
    assert request.ref in answer and request.caller_phone == member.phone and request.category == 4
    assert request.place_id == team.place_id  # placed where they serve
    assert "已收到" in say(app, client, leader.phone, "HELP")
    assert requests()[-1].caller_phone == leader.phone


def test_a_member_who_is_also_a_household_texting_1_with_nothing_open_asks_for_medicine(app, client, ctx, make):
    from models import HouseholdPhone
    _, team = scene(make)
    member = team.members[1]
    home = make.household(place=team.place, name="队员家")
    home.phones.append(HouseholdPhone(phone=member.phone))
    db.session.commit()
    answer = say(app, client, member.phone, "1")
    [request] = requests()
    assert request.ref in answer and request.category == 1 and request.household_id == home.id
    # With a request of their own open, what they write joins it, as a herder's words would
    assert request.ref in say(app, client, member.phone, "收到")
    assert len(requests()) == 1 and [e.detail for e in request.events if e.kind == "message"] == ["收到"]


def test_a_leader_closes_an_open_call_by_text_and_the_herder_gets_the_closing_sms(app, client, ctx, make):
    herder, team = scene(make)
    leader = make.leader(team.place)
    db.session.commit()
    say(app, client, herder, "1")
    [request] = requests()
    answer = say(app, client, leader.phone, f"DONE {request.ref}")
    assert request.ref in answer and "办结" in answer
    assert request.status == RequestStatus.done and request.ref in sent_to(herder)[-1]
    assert "DONE 编号" in say(app, client, leader.phone, f"DONE {request.ref}")  # no longer open: not a command


def test_a_text_from_our_own_number_is_stored_and_never_answered(app, client, ctx, make):
    scene(make)
    assert say(app, client, app.config["TWILIO_FROM_NUMBER"], "1") == ""
    assert requests() == [] and db.session.scalar(select(InboundMessage.sender_kind)) == "own"


# 5 and 6. What leaders and members read -------------------------------------------------------------------

def test_open_reads_naturally_in_mongolian_within_two_sms(app, client, ctx, make):
    herder, team = scene(make)
    leader = make.leader(team.place.parent, role=LeaderRole.township_leader, language="mn-Cyrl")
    db.session.commit()
    say(app, client, herder, "4")
    say(app, client, "+8613700000999", "2")  # a caller the roster does not know: no place
    first, unplaced = requests()
    first.created_at -= timedelta(hours=3, minutes=5)
    unplaced.created_at -= timedelta(minutes=12)
    db.session.commit()
    listing = say(app, client, leader.phone, "OPEN")
    lines = listing.split("\n")
    assert lines[0].startswith(first.ref) and "3 цаг" in lines[0] and "Ус, цахилгаан, дулаан" in lines[0]
    assert lines[1].startswith(unplaced.ref) and "12 минут" in lines[1] and "Байршил тодорхойгүй" in lines[1]
    assert "багт санал болгосон" in lines[0]  # the whole status, not the cryptic "санал"
    assert all(word not in listing for word in ("дээш", "0m", "?"))
    assert texts.segments(listing) <= 2


def test_a_mongolian_offer_names_the_place_by_its_mongolian_name(app, client, ctx, make):
    gacha = make.gacha()
    gacha.name_mn = "ᠬᠠᠷᠠᠭᠠᠨᠠᠲᠤ"
    herder = make.household(place=gacha)
    team = make.team(name="近队", place=gacha, members=0)
    member = make.member(team, language="mn")
    chinese = make.member(team)
    db.session.commit()
    say(app, client, herder.phones[0].phone, "1")
    assert "ᠬᠠᠷᠠᠭᠠᠨᠠᠲᠤ" in sent_to(member.phone)[0] and "哈日根图嘎查" not in sent_to(member.phone)[0]
    assert "哈日根图嘎查" in sent_to(chinese.phone)[0]


def test_a_teammates_yes_with_the_reference_just_after_the_other_took_it_hears_it_is_taken(app, client, ctx, make):
    herder, team, request = asked(app, client, make)
    first, second = team.members[0], team.members[1]
    assert f"您已接单{request.ref}" in say(app, client, first.phone, f"1 {request.ref}")
    late = say(app, client, second.phone, f"1 {request.ref}")
    assert "已由他人接单" in late and request.ref in late  # not "the offer has lapsed"
    assert db.session.get(Request, request.id).holder_member_id == first.id
