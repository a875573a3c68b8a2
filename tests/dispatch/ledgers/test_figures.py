"""The figures leaders report, per week and per gacha: counted from what happened, never from constants."""
import zoneinfo
from datetime import date, datetime, timedelta, timezone

from dispatch.leaders.charts import week_of
from dispatch.ledgers.figures import COUNTED, Fact, by_place, by_week, figure_facts, summarise
from dispatch.ledgers.period import EVERYTHING
from dispatch.leaders.scope import scope_for
from models import Event, db

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 2, tzinfo=timezone.utc)  # 10:00 on Monday 2 March in Beijing


def fact(figure, days=0, place="北嘎查", value=None):
    return Fact(MONDAY + timedelta(days=days), 1 if place == "北嘎查" else 2, place, figure, value)


def test_people_served_are_counted_once_each_and_acceptance_is_a_median():
    facts = [fact("served", value="h1"), fact("served", 1, value="h1"), fact("served", 2, value="h2"),
             fact("visits"), fact("visits", 3), fact("medicine"), fact("acceptance", value=4.0),
             fact("acceptance", value=10.0), fact("acceptance", value=30.0), fact("escalations", place="南嘎查")]
    [week] = summarise(facts, lambda f: week_of(f.at, ZONE)).values()
    assert week == {"served": 2, "visits": 2, "medicine": 1, "doctor": 0, "hazards": 0, "mutual_aid": 0,
                    "escalations": 1, "median_minutes": 10.0}


def test_every_week_is_present_and_a_quiet_one_shows_zeros():
    weeks = by_week([fact("visits"), fact("visits", 14)], ZONE, date(2026, 3, 2), 3)
    assert [w["week"] for w in weeks] == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]
    assert [w["visits"] for w in weeks] == [1, 0, 1] and weeks[1]["median_minutes"] is None


def test_by_place_puts_the_unknown_place_last():
    places = by_place([fact("escalations", place="位置未知"), fact("visits", place="南嘎查"), fact("visits")])
    assert [p["place"] for p in places] == ["北嘎查", "南嘎查", "位置未知"]
    assert places[0]["place_id"] == 1 and places[1]["visits"] == 1


def test_figures_from_the_database(town):
    Event.record(db.session, town.done, "matched", town.now, detail="余药配对")  # as the sharing work marks one
    db.session.commit()
    facts = figure_facts(db.session, EVERYTHING, town.now - timedelta(days=7), town.now + timedelta(seconds=1))
    [north, south] = by_place(facts)
    assert north["place"] == "北嘎查" and south["place"] == "南嘎查"
    # Served: the red household (its request done, its visit) and the yellow one (reached by SMS); the call
    # that reached nobody does not count.
    assert {k: north[k] for k in COUNTED} == {"served": 2, "visits": 1, "medicine": 1, "doctor": 0, "hazards": 0,
                                              "mutual_aid": 1, "escalations": 0}
    assert north["median_minutes"] == 6.0  # accepted six minutes after the call
    assert south["escalations"] == 1 and south["served"] == 0
    secretary = figure_facts(db.session, scope_for(db.session, town.south_secretary), town.now - timedelta(days=7),
                             town.now + timedelta(seconds=1))
    assert {f.place for f in secretary} == {"南嘎查"}
