"""Haves matched to needs: the gacha first, then the township; a reserve serves its own place; each match is a
delivery request the ladder offers, and stock is never given twice."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from dispatch.ladder.offers import offer_to_next_team
from dispatch.leaders.actions import cancel_request
from dispatch.runtime.unit_of_work import utcnow
from dispatch.sharing import matching, stock
from models import Event, LeaderRole, OutboundMessage, Request, RequestStatus, ShareMatch, db


@pytest.fixture
def now():
    return utcnow()


@pytest.fixture
def town(make):
    """Two gachas of one township: north (where the needy live) and south, nearer to them than north's far end."""
    north, south = make.gacha(name="北嘎查", lat=38.0, lon=108.0), make.gacha(name="南嘎查", lat=37.9, lon=108.0)
    db.session.commit()
    return north, south


def post(make, place, kind, quantity=1, item="fever", lat=None, now=None, name="巴特尔"):
    household = make.household(place=place, lat=lat if lat is not None else place.lat, lon=place.lon, name=name)
    return stock.post_share(db.session, kind=kind, item=item, quantity=quantity, text=f"{kind} {item}",
                            phone=household.phones[0].phone, household=household, member=None,
                            now=now or utcnow())


def test_a_need_takes_its_own_gachas_have_before_a_nearer_one_in_the_township(app, make, town, now):
    north, south = town
    far_in_gacha = post(make, north, "have", lat=38.3, name="北边的人")
    post(make, south, "have", lat=37.99, name="南边的人")  # nearer, but in another gacha
    need = post(make, north, "need", lat=37.98, name="要药的人")
    [match] = matching.match_need(db.session, need, now, app.config)
    assert match.have.id == far_in_gacha.id and match.quantity == 1
    delivery = match.request
    assert delivery.category == 6 and delivery.ref == need.ref and delivery.caller_phone == need.phone
    assert delivery.status == RequestStatus.received  # the ladder's dispatch job takes it from here
    assert "北边的人" in delivery.text and "要药的人" in delivery.text
    [matched] = [e for e in delivery.events if e.kind == "matched"]
    assert far_in_gacha.ref in matched.detail and need.ref in matched.detail


def test_with_nothing_in_the_gacha_the_township_gives(app, make, town, now):
    north, south = town
    have = post(make, south, "have", quantity=5)
    need = post(make, north, "need", quantity=2)
    [match] = matching.match_need(db.session, need, now, app.config)
    assert match.have.id == have.id and match.quantity == 2
    assert stock.free_quantity(db.session, have) == 3 and stock.free_quantity(db.session, need) == 0


def test_a_big_need_is_filled_from_several_haves_and_a_have_never_gives_twice(app, make, town, now):
    north, _ = town
    first, second = post(make, north, "have", quantity=2), post(make, north, "have", quantity=1)
    need = post(make, north, "need", quantity=3)
    assert sorted(m.quantity for m in matching.match_need(db.session, need, now, app.config)) == [1, 2]
    late = post(make, north, "need", quantity=1)
    assert matching.match_need(db.session, late, now, app.config) == []
    assert stock.free_quantity(db.session, first) == stock.free_quantity(db.session, second) == 0


def test_a_have_goes_to_the_need_that_waited_longest(app, make, town, now):
    north, _ = town
    older = post(make, north, "need", now=now - timedelta(hours=3))
    post(make, north, "need", now=now - timedelta(hours=1))
    have = post(make, north, "have")
    [match] = matching.match_have(db.session, have, now, app.config)
    assert match.need.id == older.id


def test_nobody_is_matched_with_themselves_or_with_another_item(app, make, town, now):
    north, _ = town
    need = post(make, north, "need", item="antigen")
    post(make, north, "have", item="fever")
    own = stock.post_share(db.session, kind="have", item="antigen", quantity=1, text="", phone=need.phone,
                           household=need.household, member=None, now=now)
    assert matching.match_need(db.session, need, now, app.config) == []
    assert stock.free_quantity(db.session, own) == 1


def test_posts_older_than_share_open_days_are_not_matched(app, make, town, now):
    north, _ = town
    post(make, north, "have", now=now - timedelta(days=app.config["SHARE_OPEN_DAYS"] + 1))
    need = post(make, north, "need")
    assert matching.match_need(db.session, need, now, app.config) == []


def test_a_gachas_reserve_serves_its_gacha_and_a_townships_reserve_every_gacha(app, make, town, now):
    north, south = town
    south_need = post(make, south, "need", quantity=2)
    assert matching.restock(db.session, north, "fever", 10, "北书记", now, app.config) == []
    [match] = matching.restock(db.session, north.parent, "fever", 1, "镇领导", now, app.config)
    assert match.need.id == south_need.id and match.have.reserve and match.quantity == 1
    found = db.session.scalar(select(OutboundMessage).where(OutboundMessage.to_phone == south_need.phone))
    assert found.template == "share_found" and south_need.ref in found.body and "退烧药" in found.body
    north_need = post(make, north, "need", quantity=4)
    [from_reserve] = matching.match_need(db.session, north_need, now, app.config)
    assert from_reserve.have.place_id == north.id and from_reserve.quantity == 4


def test_a_reserve_level_is_what_is_free_now_and_deliveries_keep_what_they_hold(app, make, town, now):
    north, _ = town
    matching.restock(db.session, north, "antigen", 5, "北书记", now, app.config)
    need = post(make, north, "need", item="antigen", quantity=2)
    matching.match_need(db.session, need, now, app.config)
    reserve = stock.set_reserve(db.session, north, "antigen", 7, "北书记", now)
    assert reserve.quantity == 9 and stock.free_quantity(db.session, reserve) == 7 and "北书记" in reserve.text


def test_a_cancelled_delivery_gives_the_stock_back_and_the_need_is_matched_again(app, make, town, now):
    north, _ = town
    leader = make.leader(north, role=LeaderRole.gacha_secretary)
    have = post(make, north, "have")
    need = post(make, north, "need")
    [match] = matching.match_need(db.session, need, now, app.config)
    assert cancel_request(db.session, match.request.id, leader, "住户已自行买到", now) == "cancelled"
    assert stock.free_quantity(db.session, have) == 1 and stock.free_quantity(db.session, need) == 1
    [again] = matching.match_waiting(db.session, True, now, app.config)
    assert again.have.id == have.id and again.request.id != match.request.id
    assert again.request.ref != match.request.ref  # the need's own reference went to the first delivery
    assert db.session.scalar(select(OutboundMessage.template).where(
        OutboundMessage.request_id == again.request.id, OutboundMessage.to_phone == need.phone)) == "share_found"
    assert db.session.query(ShareMatch).count() == 2
    assert db.session.scalar(select(Request.status).where(Request.id == match.request.id)) == RequestStatus.cancelled


def test_a_closed_post_is_matched_no_more(app, make, town, now):
    north, _ = town
    have = post(make, north, "have")
    assert stock.close_post(db.session, have.id, "北书记", now) == "closed"
    assert stock.close_post(db.session, have.id, "北书记", now) == "not_open"
    assert matching.match_need(db.session, post(make, north, "need"), now, app.config) == []
    assert db.session.scalar(select(Event).where(Event.kind == "matched")) is None


def test_a_reserve_delivery_is_collected_from_the_gacha_secretary_not_the_regulator(app, make, town, now):
    north, _ = town
    make.leader(north, role=LeaderRole.market_regulator)
    secretary = make.leader(north, role=LeaderRole.gacha_secretary)
    team = make.team(place=north, members=1)
    need = post(make, north, "need", name="要药的人")
    [match] = matching.restock(db.session, north, "fever", 3, "北书记", now, app.config)
    offer_to_next_team(db.session, match.request.id, now, app.config)
    [offer] = db.session.scalars(select(OutboundMessage.body).where(
        OutboundMessage.to_phone == team.members[0].phone)).all()
    assert "北嘎查储备药" in offer and secretary.phone in offer and need.phone in offer and "要药的人" in offer
