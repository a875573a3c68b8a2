"""Ranking the near teams first gives the very choices that ranking every team gives (issue 11: speed only)."""
import random
from datetime import timedelta

from sqlalchemy import insert, select

from dispatch.ladder.candidates import gather_candidates
from dispatch.ladder.nearby import FIRST_DETAILS, bounding_box, kept, rank_request
from dispatch.ladder.ranking import rank_teams, road_km
from models import DutyShift, Member, Offer, OfferStatus, Request, RequestStatus, Team, Vehicle, db
from tests.factories import NOW

DETOUR = 1.3


def random_league(make, rng, teams=400):
    """Teams in a few dense clusters and a thin spread, on duty or not, with or without a vehicle, doctors,
    busy teams and a day's accepted offers: every reason the ranking knows."""
    gacha = make.gacha()
    centres = [(38 + rng.random(), 107 + rng.random() * 2) for _ in range(4)]
    rows = []
    for n in range(teams):
        lat, lon = rng.choice(centres) if rng.random() < 0.7 else (37.5 + rng.random() * 2, 106 + rng.random() * 4)
        rows.append({"code": f"R{n}", "name": f"队{n}", "place_id": gacha.id,
                     "base_lat": lat + rng.gauss(0, 0.08), "base_lon": lon + rng.gauss(0, 0.1)})
    db.session.execute(insert(Team), rows)
    team_ids = list(db.session.scalars(select(Team.id).order_by(Team.id)))
    db.session.execute(insert(Member), [
        {"phone": f"+86137{n:08d}", "name": f"员{n}", "team_id": tid, "role": "doctor" if rng.random() < 0.2 else "member"}
        for n, tid in enumerate(team_ids)])
    db.session.execute(insert(Vehicle), [{"plate": f"蒙R{n:05d}", "team_id": tid, "kind": "越野车", "seats": 5}
                                         for n, tid in enumerate(team_ids)])
    vehicles = dict(db.session.execute(select(Vehicle.team_id, Vehicle.id)).all())
    db.session.execute(insert(DutyShift), [
        {"team_id": tid, "starts_at": NOW - timedelta(hours=1), "ends_at": NOW + timedelta(hours=5),
         "vehicle_id": vehicles[tid] if rng.random() > 0.15 else None}
        for tid in team_ids if rng.random() > 0.25])
    for n, tid in enumerate(rng.sample(team_ids, len(team_ids) // 7)):  # busy teams, and teams that worked today
        held = Request(ref=f"8{n:03d}", category=1, caller_phone="+8613900000000", created_at=NOW,
                       status=RequestStatus.accepted if n % 2 else RequestStatus.done, holder_team_id=tid)
        db.session.add(held)
        db.session.flush()
        db.session.add(Offer(request=held, team_id=tid, status=OfferStatus.accepted, created_at=NOW,
                             expires_at=NOW, decided_at=NOW - timedelta(hours=rng.choice([1, 30]))))
    db.session.flush()
    return team_ids


def test_near_first_ranking_chooses_as_ranking_every_team_does(make):
    rng = random.Random(11)
    team_ids = random_league(make, rng)
    for n in range(80):
        request = Request(ref=f"9{n:03d}", category=rng.choice([1, 2, 3, 9]), caller_phone="+8613900000001",
                          created_at=NOW, lat=37.5 + rng.random() * 2, lon=106 + rng.random() * 4)
        db.session.add(request)
        db.session.flush()
        for tid in rng.sample(team_ids, rng.choice([0, 0, 3])):  # teams already asked
            db.session.add(Offer(request=request, team_id=tid, status=OfferStatus.expired, created_at=NOW,
                                 expires_at=NOW))
        db.session.flush()
        everyone = rank_teams(gather_candidates(db.session, request, NOW), lat=request.lat, lon=request.lon,
                              category=request.category, detour=DETOUR)
        assert rank_request(db.session, request, NOW, detour=DETOUR) == kept(*everyone)


def test_a_caller_of_unknown_position_is_ranked_over_every_team(make):
    rng = random.Random(5)
    random_league(make, rng, teams=50)
    request = Request(ref="9999", category=2, caller_phone="+8613900000002", created_at=NOW)
    db.session.add(request)
    db.session.flush()
    assert rank_request(db.session, request, NOW, detour=DETOUR) == kept(*rank_teams(
        gather_candidates(db.session, request, NOW), lat=None, lon=None, category=2, detour=DETOUR))


def test_the_box_holds_every_point_of_its_circle():
    rng = random.Random(7)
    for _ in range(2000):
        lat, lon, km = rng.uniform(-70, 70), rng.uniform(-170, 170), rng.uniform(1, 800)
        box = bounding_box(lat, lon, km)
        if box is None:
            continue
        south, north, west, east = box
        # A point just inside the circle, in a random direction: it lies in the box.
        plat = lat + rng.uniform(-1, 1) * km / 111.19
        plon = lon + rng.uniform(-1, 1) * 3 * km / 111.19
        if road_km(lat, lon, plat, plon, 1.0) <= km:
            assert south <= plat <= north and west <= plon <= east


def test_a_league_where_every_team_can_go_is_read_in_full_only_near_the_caller(make):
    """With every team able to go, only the nearest teams' duty, vehicles and work are read: once asked the ten
    nearest passed over, such a league never settled and was read whole for every request of a storm."""
    from sqlalchemy import event

    gacha = make.gacha()
    for n in range(100):
        make.team(place=gacha, lat=38 + (n % 10) / 50, lon=108 + (n // 10) / 50)
    request = Request(ref="9100", category=1, caller_phone="+8613900000001", created_at=NOW, lat=38.1, lon=108.1)
    db.session.add(request)
    db.session.flush()
    detailed = []

    def count(conn, cursor, statement, parameters, *rest):
        if "FROM DUTY_SHIFT" in statement.upper():  # the candidates' look-ups, one set per team named
            detailed.extend(v for k, v in parameters.items() if k.startswith("team_ids"))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        ranked, skipped = rank_request(db.session, request, NOW, detour=DETOUR)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    everyone = rank_teams(gather_candidates(db.session, request, NOW), lat=request.lat, lon=request.lon,
                          category=request.category, detour=DETOUR)
    assert (ranked, skipped) == kept(*everyone) and len(ranked) == 5 and skipped == []
    assert len(detailed) == FIRST_DETAILS
