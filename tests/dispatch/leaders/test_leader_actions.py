"""A leader steers a request: reassign, cancel, close with a note, add a note. Who is told what, and the events."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from dispatch.ladder import offers
from dispatch.leaders import actions
from dispatch.conversation.inbound import InboundSms, receive_sms
from dispatch.requests.intake import open_request_for
from models import Event, LeaderRole, OfferStatus, OutboundMessage, RequestStatus, db
from tests.factories import NOW

_sid = iter(range(10**6))


def sent_to(phone) -> list[OutboundMessage]:
    return list(db.session.scalars(select(OutboundMessage).where(
        OutboundMessage.to_phone == phone, OutboundMessage.template != "reply").order_by(OutboundMessage.id)))


def bodies(phone) -> list[str]:
    return [m.body for m in sent_to(phone)]


@pytest.fixture
def scene(app, make):
    gacha = make.gacha()
    herder = make.household(place=gacha, lat=38.1, lon=108.1, name="巴特尔")
    near = make.team(name="近队", place=gacha, lat=38.12, lon=108.1, members=2)
    other = make.team(name="改派队", place=gacha, lat=38.3, lon=108.1, members=2)
    leader = make.leader(gacha.parent, role=LeaderRole.township_leader)
    request = open_request_for(db.session, caller=herder.phones[0].phone, category=1, text="", household=herder,
                               now=NOW, channel="sms")
    offers.offer_to_next_team(db.session, request.id, NOW, app.config)
    db.session.commit()
    return dict(herder=herder.phones[0].phone, near=near, other=other, leader=leader, request=request)


def test_reassign_supersedes_the_open_offer_and_texts_the_chosen_team_and_the_herder(app, scene):
    request, near, other = scene["request"], scene["near"], scene["other"]
    later = NOW + timedelta(minutes=2)
    outcome = actions.reassign(db.session, request.id, other.id, scene["leader"], later, app.config)
    db.session.commit()
    assert outcome == "reassigned" and request.status == RequestStatus.offered
    assert [(o.team_id, o.status) for o in request.offers] == [(near.id, OfferStatus.superseded),
                                                                (other.id, OfferStatus.open)]
    assert request.offers[1].expires_at == later + timedelta(seconds=app.config["OFFER_TIMEOUT_SECONDS"])
    for member in other.members:
        [offer] = bodies(member.phone)
        assert request.ref in offer and "巴特尔" in offer
    for member in near.members:
        assert "无需前往" in bodies(member.phone)[-1]
    [told] = bodies(scene["herder"])
    assert "改派队" in told and request.ref in told
    event = request.events[-1]
    assert event.kind == "reassigned" and scene["leader"].name in event.actor and "改派队" in event.detail


def test_after_reassign_the_new_team_accepts_and_the_herder_hears_who_is_coming(app, scene):
    request, other = scene["request"], scene["other"]
    actions.reassign(db.session, request.id, other.id, scene["leader"], NOW, app.config)
    db.session.commit()
    reply = receive_sms(db.session, InboundSms(f"SM{next(_sid):032d}", other.members[1].phone, "+864778512345", "1"),
                        NOW, app.config)
    db.session.commit()
    assert request.ref in reply and request.status == RequestStatus.accepted and request.holder_team_id == other.id
    assigned = bodies(scene["herder"])[-1]
    assert "改派队" in assigned and other.members[1].phone in assigned


def test_reassign_after_acceptance_moves_the_holder_and_the_herder_is_told_twice(app, scene):
    request, near, other = scene["request"], scene["near"], scene["other"]
    assert offers.accept_offer(db.session, request.offers[0].id, near.members[0], NOW) == "accepted"
    actions.reassign(db.session, request.id, other.id, scene["leader"], NOW, app.config)
    db.session.commit()
    assert request.holder_team_id is None and request.status == RequestStatus.offered
    assert request.offers[0].status == OfferStatus.superseded
    assert "无需前往" in bodies(near.members[0].phone)[-1]
    offers.accept_offer(db.session, request.offers[1].id, other.members[0], NOW)
    db.session.commit()
    assigned = [m.body for m in sent_to(scene["herder"]) if m.template == "assigned"]
    assert len(assigned) == 2 and "近队" in assigned[0] and "改派队" in assigned[1]


def test_reassign_back_to_a_team_asked_before_reopens_its_offer(app, scene):
    request, near, other = scene["request"], scene["near"], scene["other"]
    actions.reassign(db.session, request.id, other.id, scene["leader"], NOW, app.config)
    later = NOW + timedelta(minutes=5)
    assert actions.reassign(db.session, request.id, near.id, scene["leader"], later, app.config) == "reassigned"
    db.session.commit()
    assert [(o.team_id, o.status) for o in request.offers] == [(near.id, OfferStatus.open),
                                                                (other.id, OfferStatus.superseded)]
    assert len(bodies(near.members[0].phone)) == 3  # the first offer, "need not go", the offer again


def test_reassign_to_the_team_already_asked_or_of_a_closed_request_does_nothing(app, scene):
    request, near = scene["request"], scene["near"]
    assert actions.reassign(db.session, request.id, near.id, scene["leader"], NOW, app.config) == "same_team"
    actions.cancel_request(db.session, request.id, scene["leader"], "", NOW)
    assert actions.reassign(db.session, request.id, scene["other"].id, scene["leader"], NOW,
                                   app.config) == "not_open"


def test_when_the_reassigned_team_lets_it_time_out_the_ladder_goes_on(app, scene):
    request, other = scene["request"], scene["other"]
    actions.reassign(db.session, request.id, other.id, scene["leader"], NOW, app.config)
    db.session.commit()
    later = NOW + timedelta(seconds=app.config["OFFER_TIMEOUT_SECONDS"] + 1)
    assert offers.expire_offer(db.session, request.offers[1].id, later, app.config)
    db.session.commit()
    assert request.status in (RequestStatus.offered, RequestStatus.escalated)


def test_cancel_tells_the_herder_and_the_teams(app, scene):
    request, near = scene["request"], scene["near"]
    outcome = actions.cancel_request(db.session, request.id, scene["leader"], "重复来电", NOW)
    db.session.commit()
    assert outcome == "cancelled" and request.status == RequestStatus.cancelled and request.closed_at == NOW
    assert request.offers[0].status == OfferStatus.superseded
    assert "已撤销" in bodies(scene["herder"])[-1]
    assert all("无需前往" in bodies(m.phone)[-1] for m in near.members)
    assert (request.events[-1].kind, request.events[-1].detail) == ("cancelled", "重复来电")
    assert actions.cancel_request(db.session, request.id, scene["leader"], "", NOW) == "not_open"


def test_close_needs_a_note_and_sends_the_closing_sms(app, scene):
    request, near = scene["request"], scene["near"]
    offers.accept_offer(db.session, request.offers[0].id, near.members[0], NOW)
    assert actions.close_request(db.session, request.id, scene["leader"], "  ", NOW) == "no_note"
    outcome = actions.close_request(db.session, request.id, scene["leader"], "已由卫生室送药", NOW)
    db.session.commit()
    assert outcome == "done" and request.status == RequestStatus.done
    assert "已办结" in bodies(scene["herder"])[-1]
    assert "无需前往" in bodies(near.members[1].phone)[-1]
    event = request.events[-1]
    assert (event.kind, event.detail) == ("closed", "已由卫生室送药") and scene["leader"].name in event.actor
    # The herder's "Y" after the closing SMS is read as "solved", as after a team's own "done".
    receive_sms(db.session, InboundSms(f"SM{next(_sid):032d}", scene["herder"], "+864778512345", "Y"), NOW,
                app.config)
    assert request.solved is True


def test_a_note_is_an_event_and_texts_nobody(app, scene):
    request = scene["request"]
    before = db.session.query(OutboundMessage).count()
    assert actions.add_note(db.session, request.id, scene["leader"], "", NOW) == "no_note"
    assert actions.add_note(db.session, request.id, scene["leader"], "已电话联系，家中有人", NOW) == "noted"
    db.session.commit()
    note = db.session.scalar(select(Event).where(Event.kind == "note"))
    assert note.detail == "已电话联系，家中有人" and "镇领导" in note.actor
    assert db.session.query(OutboundMessage).count() == before
