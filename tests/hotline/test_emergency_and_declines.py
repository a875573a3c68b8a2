"""Issue 9, the ladder side, through signed webhooks: an emergency dispatched as one, declines per member,
offers only to the shift's members, and the repeat rule for identical texts."""
from datetime import timedelta

from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from dispatch.runtime.queue import URGENT_QUEUE_NAME
from models import DutyShift, Event, OfferStatus, OutboundMessage, Request, RequestStatus, db
from tests.support.webhooks import run_queued_jobs, signed_post, sms_form, twiml_messages


def sent_to(phone):
    return [m.body for m in db.session.scalars(select(OutboundMessage).where(
        OutboundMessage.to_phone == phone, OutboundMessage.template != "reply").order_by(OutboundMessage.id))]


def say(app, client, phone, body):
    [answer] = twiml_messages(signed_post(client, app, "/twilio/sms", sms_form(phone, body)))
    run_queued_jobs(app)
    db.session.expire_all()
    return answer


def test_an_emergency_goes_to_two_teams_at_once_and_the_secretary_hears_at_once(app, client, ctx, make):
    gacha = make.gacha()
    herder = make.household(place=gacha)
    near = make.team(name="近队", place=gacha, lat=38.1, lon=108.1, members=2)
    far = make.team(name="远队", place=gacha, lat=38.3, lon=108.3, members=2)
    secretary = make.leader(gacha)
    db.session.commit()
    ack = say(app, client, herder.phones[0].phone, "9 老人摔倒了")
    request = db.session.scalar(select(Request))
    assert request.ref in ack and request.category == 9
    assert sorted(o.team.name for o in request.offers) == ["近队", "远队"]
    assert all(o.status == OfferStatus.open for o in request.offers)
    assert all((o.expires_at - o.created_at).total_seconds() == app.config["EMERGENCY_OFFER_TIMEOUT_SECONDS"]
               for o in request.offers)
    for member in near.members + far.members:
        assert request.ref in sent_to(member.phone)[0] and "紧急" in sent_to(member.phone)[0]
    [told] = sent_to(secretary.phone)
    assert "紧急" in told and request.ref in told and herder.phones[0].phone in told
    # Its timeouts wait on the urgent queue, which workers take from first.
    registry = ScheduledJobRegistry(URGENT_QUEUE_NAME, connection=app.extensions["hotline.queue"].connection)
    assert {f"expire-{o.id}" for o in request.offers} <= set(registry.get_job_ids())

    echo = say(app, client, far.members[1].phone, "1")
    assert request.ref in echo
    assert request.status == RequestStatus.accepted and request.holder_team.name == "远队"
    for member in near.members:  # the other team is told at once that it is taken
        assert "已由" in sent_to(member.phone)[-1] and request.ref in sent_to(member.phone)[-1]


def test_one_members_decline_withdraws_only_that_member_and_the_captain_declines_for_the_team(
        app, client, ctx, make):
    gacha = make.gacha()
    herder = make.household(place=gacha)
    near = make.team(name="近队", place=gacha, lat=38.1, lon=108.1, members=3)
    far = make.team(name="远队", place=gacha, lat=38.3, lon=108.3, members=1)
    db.session.commit()
    say(app, client, herder.phones[0].phone, "1")
    request = db.session.scalar(select(Request))
    captain, first, second = near.members
    answer = say(app, client, first.phone, f"2 {request.ref} 在外地")
    assert request.ref in answer and "队友" in answer
    assert request.offers[0].status == OfferStatus.open and len(request.offers) == 1
    for teammate in (captain, second):
        assert first.name in sent_to(teammate.phone)[-1] and "回1接单" in sent_to(teammate.phone)[-1]
    assert "没有待接" in say(app, client, first.phone, "1")  # withdrawn: the offer is no longer theirs
    answer = say(app, client, captain.phone, f"2 {request.ref} 车坏了")
    assert "下一支" in answer
    assert request.offers[0].status == OfferStatus.declined and [o.team.name for o in request.offers] == ["近队", "远队"]
    assert "代表全队拒绝" in sent_to(second.phone)[-1]
    assert request.ref in sent_to(far.members[0].phone)[0]


def test_every_offered_member_declining_moves_the_offer_on(app, client, ctx, make):
    gacha = make.gacha()
    herder = make.household(place=gacha)
    near = make.team(name="近队", place=gacha, lat=38.1, lon=108.1, members=3)
    make.team(name="远队", place=gacha, lat=38.3, lon=108.3, members=1)
    db.session.commit()
    shift = db.session.scalar(select(DutyShift).where(DutyShift.team_id == near.id))
    shift.lead = None  # nobody speaks for the team: each member answers for themselves
    db.session.commit()
    say(app, client, herder.phones[0].phone, "1")
    request = db.session.scalar(select(Request))
    _, first, second = near.members
    say(app, client, first.phone, f"2 {request.ref}")
    db.session.commit()
    near.members[0].role = "member"  # no captain either
    db.session.commit()
    say(app, client, near.members[0].phone, f"2 {request.ref}")
    assert request.offers[0].status == OfferStatus.open
    say(app, client, second.phone, f"2 {request.ref}")
    assert request.offers[0].status == OfferStatus.declined and len(request.offers) == 2


def test_offers_go_only_to_the_members_on_the_shift(app, client, ctx, make):
    gacha = make.gacha()
    herder = make.household(place=gacha)
    team = make.team(name="近队", place=gacha, members=3)
    db.session.commit()
    shift = db.session.scalar(select(DutyShift).where(DutyShift.team_id == team.id))
    shift.listed_members = [team.members[1]]
    db.session.commit()
    say(app, client, herder.phones[0].phone, "1")
    request = db.session.scalar(select(Request))
    assert request.ref in sent_to(team.members[1].phone)[0]
    assert sent_to(team.members[0].phone) == [] and sent_to(team.members[2].phone) == []


def test_a_stray_yes_long_after_a_teammate_took_it_hears_nothing_is_open(app, client, ctx, make):
    gacha = make.gacha()
    herder = make.household(place=gacha)
    team = make.team(name="近队", place=gacha, members=2)
    db.session.commit()
    say(app, client, herder.phones[0].phone, "1")
    request = db.session.scalar(select(Request))
    say(app, client, team.members[0].phone, "1")
    assert "他人" in say(app, client, team.members[1].phone, "1")  # seconds later: taken
    offer = request.offers[0]
    offer.decided_at -= timedelta(minutes=40)
    db.session.commit()
    assert "没有待接" in say(app, client, team.members[1].phone, "Y")  # long gone: nothing open


def test_a_third_identical_text_in_a_day_is_varied_and_the_timeline_says_so(app, client, ctx, make):
    from dispatch.messaging import outbox
    from tests.support.webhooks import run_queued_jobs as run
    gacha = make.gacha()
    herder = make.household(place=gacha)
    db.session.commit()
    say(app, client, herder.phones[0].phone, "1")
    request = db.session.scalar(select(Request))
    now = request.created_at
    for n in range(3):
        outbox.record_sms(db.session, key=f"same-{n}", to=herder.phones[0].phone, template="still_open",
                          language="zh", now=now, request=request, ref=request.ref)
        db.session.commit()
        outbox.flush(db.session, app.extensions["hotline.queue"])
        run(app)
    bodies = [m for m in sent_to(herder.phones[0].phone) if request.ref in m and "正在处理" in m]
    assert len(bodies) == 3 and bodies[0] == bodies[1] != bodies[2]
    assert any(e.kind == "sms_varied" for e in db.session.scalars(select(Event).where(Event.request_id == request.id)))


def test_an_open_request_made_an_emergency_is_offered_to_a_second_team_at_once(app, client, ctx, make):
    from dispatch.ladder import emergency, offers
    from dispatch.runtime.unit_of_work import run_and_commit
    gacha = make.gacha()
    herder = make.household(place=gacha)
    near = make.team(name="近队", place=gacha, lat=38.1, lon=108.1, members=1)
    far = make.team(name="远队", place=gacha, lat=38.3, lon=108.3, members=1)
    secretary = make.leader(gacha)
    db.session.commit()
    say(app, client, herder.phones[0].phone, "1")
    request = db.session.scalar(select(Request))
    assert [o.team.name for o in request.offers] == ["近队"] and sent_to(far.members[0].phone) == []

    def upgrade(session, now):  # what the reading side calls when the herder texts `9` on an open request
        emergency.dispatch_as_emergency(session, offers.lock_request(session, request.id), now, app.config)
    run_and_commit(upgrade)
    run_queued_jobs(app)
    db.session.expire_all()
    assert request.category == 9 and sorted(o.team.name for o in request.offers) == ["近队", "远队"]
    assert request.ref in sent_to(far.members[0].phone)[0]
    assert "紧急" in sent_to(secretary.phone)[0]
    first = request.offers[0]
    assert (first.expires_at - request.created_at).total_seconds() <= app.config["EMERGENCY_OFFER_TIMEOUT_SECONDS"] + 60
    assert sent_to(near.members[0].phone)
