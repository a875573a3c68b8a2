"""The board's rows and order, and the committee's figures, on small data sets whose answers are known."""
import math
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from dispatch.ladder import offers
from dispatch.leaders import actions, charts, mapdata, reports
from dispatch.requests.intake import open_request_for
from dispatch.leaders.scope import scope_for
from models import LeaderRole, OutboundMessage, OutboundStatus, RequestStatus, db
from tests.factories import NOW

ZONE = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, Beijing time."""
    return datetime(2026, 11, day, hour, minute, tzinfo=ZONE)


@pytest.mark.parametrize("values, q, expected", [
    ([], 90, None), ([5], 90, 5), ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9), ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5),
    ([10, 1, 7], 90, 10), (list(range(1, 21)), 90, 18),
])
def test_percentile_is_nearest_rank(values, q, expected):
    assert charts.percentile(values, q) == expected


def test_requests_per_day_counts_local_days_by_category():
    rows = [(at(2, 0, 30), 1), (at(2, 23, 59), 1), (at(2, 12), 9), (at(3, 8), 4), (at(3, 9), 7)]
    # 00:30 in Beijing on the 2nd is still the 1st in UTC: it counts on the local 2nd.
    days = charts.requests_per_day(rows, ZONE, date(2026, 11, 1), date(2026, 11, 3))
    assert [d["total"] for d in days] == [0, 3, 2]
    assert days[1]["counts"] == {1: 2, 2: 0, 3: 0, 4: 0, 5: 0, 9: 1}
    assert days[2]["counts"][4] == 1 and days[2]["counts"][5] == 1  # an unknown category counts as "other"


def test_acceptance_by_week_gives_median_and_p90_minutes():
    week1 = [(at(2, 8), at(2, 8, m)) for m in (1, 2, 3, 4, 5, 6, 7, 8, 9, 30)]  # Monday 2 Nov
    week2 = [(at(9, 8), at(9, 8, 10)), (at(10, 8), at(10, 8, 20)), (at(11, 8), None)]
    weeks = charts.acceptance_by_week(week1 + week2, ZONE)
    assert weeks == [
        {"week": date(2026, 11, 2), "accepted": 10, "median_minutes": 5.5, "p90_minutes": 9.0},
        {"week": date(2026, 11, 9), "accepted": 2, "median_minutes": 15.0, "p90_minutes": 20.0},
    ]


def test_escalated_share_by_week():
    rows = [(at(2, 8), True), (at(3, 8), False), (at(4, 8), False), (at(8, 23), True), (at(9, 1), False)]
    assert charts.escalated_share_by_week(rows, ZONE) == [
        {"week": date(2026, 11, 2), "requests": 4, "escalated": 2, "share": 0.5},
        {"week": date(2026, 11, 9), "requests": 1, "escalated": 0, "share": 0.0},
    ]


@pytest.fixture
def township(app, make):
    gacha = make.gacha()
    herders = [make.household(place=gacha, name=f"牧民{i}") for i in range(3)]
    team = make.team(name="近队", place=gacha, members=2)
    admin = make.leader(gacha.parent, role=LeaderRole.admin)
    db.session.commit()
    return dict(gacha=gacha, herders=herders, team=team, admin=admin)


def new_request(herder, now, category=1):
    return open_request_for(db.session, caller=herder.phones[0].phone, category=category, text="", household=herder,
                            now=now, channel="sms")


def test_committee_figures_from_the_database(app, township):
    now = NOW
    herders, team = township["herders"], township["team"]
    quick = new_request(herders[0], now - timedelta(minutes=30))
    offers.offer_to_next_team(db.session, quick.id, now - timedelta(minutes=30), app.config)
    offers.accept_offer(db.session, quick.offers[0].id, team.members[0], now - timedelta(minutes=20))
    offers.report_done(db.session, quick, team.members[0], now - timedelta(minutes=10))
    slow = new_request(herders[1], now - timedelta(minutes=20), category=9)
    app.config["MAX_OFFERS"], saved = 0, app.config["MAX_OFFERS"]
    try:
        offers.offer_to_next_team(db.session, slow.id, now - timedelta(minutes=20), app.config)  # escalates
    finally:
        app.config["MAX_OFFERS"] = saved
    new_request(herders[2], now - timedelta(days=100))  # outside both windows (30 days, 12 weeks)
    db.session.commit()
    figures = charts.committee_figures(db.session, scope_for(db.session, township["admin"]), now, ZONE)
    assert len(figures["per_day"]) == 30 and sum(d["total"] for d in figures["per_day"]) == 2
    assert sum(d["counts"][9] for d in figures["per_day"]) == 1
    [week] = figures["acceptance"]
    assert week["accepted"] == 1 and week["median_minutes"] == 10.0
    assert sum(w["escalated"] for w in figures["escalated"]) == 1
    assert sum(w["requests"] for w in figures["escalated"]) == 2


def test_board_rows_order_escalated_then_emergency_then_oldest(app, township):
    herders = township["herders"]
    old = new_request(herders[0], NOW - timedelta(hours=2))
    urgent = new_request(herders[1], NOW - timedelta(minutes=5), category=9)
    stuck = new_request(herders[2], NOW - timedelta(minutes=1))
    stuck.status = RequestStatus.escalated
    db.session.commit()
    rows = reports.open_calls(db.session, scope_for(db.session, township["admin"]), NOW)
    assert [r["ref"] for r in rows] == [stuck.ref, urgent.ref, old.ref]
    assert rows[2]["age_minutes"] == 120 and rows[2]["place"] == township["gacha"].name


def test_board_row_shows_holder_and_last_message_delivery(app, township):
    request = new_request(township["herders"][0], NOW)
    offers.offer_to_next_team(db.session, request.id, NOW, app.config)
    db.session.commit()
    [row] = reports.open_calls(db.session, scope_for(db.session, township["admin"]), NOW)
    assert row["holder"] is None and row["waiting_on"] == "近队"
    assert row["last_message"]["status"] == "pending" and row["last_message"]["template"] == "offer"
    for message in db.session.scalars(select(OutboundMessage)):
        message.status = OutboundStatus.undelivered
    db.session.commit()
    [row] = reports.open_calls(db.session, scope_for(db.session, township["admin"]), NOW)
    assert row["failed_messages"] == 2 and row["last_message"]["status"] == "undelivered"


def test_timeline_has_events_and_messages_with_their_history(app, township):
    request = new_request(township["herders"][0], NOW)
    offers.offer_to_next_team(db.session, request.id, NOW, app.config)
    actions.add_note(db.session, request.id, township["admin"], "已电话联系", NOW + timedelta(minutes=1))
    db.session.commit()
    items = reports.timeline(db.session, request)
    assert [i["type"] for i in items] == ["event", "event", "out", "out", "event"]
    assert items[-1]["detail"] == "已电话联系" and items[2]["history"] == []


def test_convex_hull_and_outline():
    square = [(0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.5, 0.5)]
    assert sorted(mapdata.convex_hull(square)) == [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
    outline = mapdata.outline(square, pad_km=1.0)
    pad = 1.0 / 111.32
    assert min(p[0] for p in outline) == pytest.approx(-pad, abs=1e-4)
    assert max(p[0] for p in outline) == pytest.approx(1 + pad, abs=1e-4)
    circle = mapdata.outline([(38.0, 108.0)], pad_km=2.0)
    assert len(circle) == 12
    lon_km = 111.32 * math.cos(math.radians(38.0))
    assert all(math.hypot((lat - 38.0) * 111.32, (lon - 108.0) * lon_km) == pytest.approx(2.0, abs=0.01)
               for lat, lon in circle)


def test_place_outlines_cover_the_gacha(app, township):
    [place] = mapdata.place_outlines(db.session, scope_for(db.session, township["admin"]))
    assert place["name"] == township["gacha"].name and len(place["outline"]) >= 3
