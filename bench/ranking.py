"""How long one pick (the ranking of one request) and the dispatch job take at league scale (Hinggan League:
3,734 teams, 26,800 members), ranking every team and ranking near teams first (dispatch/ladder/nearby.py).
(The webhook under load, once this script's second part, is bench/webhook.py.)

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_bench_ranking python -m bench.ranking

It empties and uses the database named by DATABASE_URL and a Redis stand-in; figures go to docs/benchmarks.md.
"""
import argparse
import random
import statistics
import time
from datetime import timedelta

from sqlalchemy import insert, text

from dispatch.ladder import offers
from dispatch.ladder.candidates import gather_candidates
from dispatch.ladder.nearby import rank_request
from dispatch.ladder.ranking import rank_teams
from dispatch.conversation.inbound import InboundSms, receive_sms
from dispatch.runtime.unit_of_work import utcnow
from bench import bench_database_url, empty_and_migrate
from hotline import create_app
from models import DutyShift, Household, HouseholdPhone, Member, Place, PlaceKind, Request, Team, Vehicle, db
from tests.conftest import _settings

TEAMS, MEMBERS_PER_TEAM, GACHAS, HOUSEHOLDS = 3734, 7, 1120, 2000


def seed(rng) -> list[str]:
    """A league-sized roster in bulk; returns household phones."""
    now = utcnow()
    township = Place(code="1522", name="兴安盟", kind=PlaceKind.township, lat=46.0, lon=122.0)
    db.session.add(township)
    db.session.flush()
    db.session.execute(insert(Place), [
        {"code": f"g{i}", "name": f"嘎查{i}", "kind": PlaceKind.gacha, "parent_id": township.id,
         "lat": 45 + rng.random() * 2, "lon": 120 + rng.random() * 3} for i in range(GACHAS)])
    gacha_ids = [pid for (pid,) in db.session.execute(text("SELECT id FROM place WHERE kind = 'gacha'"))]
    db.session.execute(insert(Team), [
        {"code": f"t{i}", "name": f"小分队{i}", "place_id": gacha_ids[i % GACHAS],
         "base_lat": 45 + rng.random() * 2, "base_lon": 120 + rng.random() * 3} for i in range(TEAMS)])
    team_ids = [tid for (tid,) in db.session.execute(text("SELECT id FROM team ORDER BY id"))]
    db.session.execute(insert(Member), [
        {"phone": f"+86139{n:08d}", "name": f"队员{n}", "team_id": team_ids[n // MEMBERS_PER_TEAM],
         "role": "doctor" if n % MEMBERS_PER_TEAM == 3 and rng.random() < 0.3 else "member", "language": "zh"}
        for n in range(TEAMS * MEMBERS_PER_TEAM)])
    db.session.execute(insert(Vehicle), [
        {"plate": f"蒙K{i:05d}", "team_id": tid, "kind": "越野车", "seats": 5} for i, tid in enumerate(team_ids)])
    vehicle = {tid: vid for vid, tid in db.session.execute(text("SELECT id, team_id FROM vehicle"))}
    db.session.execute(insert(DutyShift), [
        {"team_id": tid, "starts_at": now - timedelta(hours=h), "ends_at": now + timedelta(hours=12 - h),
         "vehicle_id": vehicle[tid] if rng.random() > 0.1 else None}
        for tid in team_ids if rng.random() > 0.2 for h in [rng.randint(0, 11)]])
    phones = []
    for n in range(HOUSEHOLDS):
        household = Household(ref=f"h{n}", head_name=f"户主{n}", place_id=rng.choice(gacha_ids),
                              lat=45 + rng.random() * 2, lon=120 + rng.random() * 3, language="zh")
        household.phones.append(HouseholdPhone(phone=f"+86150{n:08d}"))
        db.session.add(household)
        phones.append(f"+86150{n:08d}")
    db.session.commit()
    return phones


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()  # no options; --help says what the script does
    url = bench_database_url(parser)
    rng = random.Random(3)
    settings = _settings(DATABASE_URL=url, REDIS_URL=None, SMS_BACKEND="console",
                         INSTANCE_DIR="/tmp/hotline-bench-instance")
    app = create_app(settings)
    with app.app_context():
        empty_and_migrate(db)
        started = time.perf_counter()
        phones = seed(rng)
        print(f"seeded {TEAMS} teams, {TEAMS * MEMBERS_PER_TEAM} members, {GACHAS} gachas, {HOUSEHOLDS} households "
              f"in {time.perf_counter() - started:.1f}s")

        # 1. One pick: the ranking of one request, near teams first (what the dispatch job runs), beside the
        #    ranking of every team the league has (what it ran before issue 11).
        requests_ = []
        for n, phone in enumerate(phones[:60]):
            receive_sms(db.session, InboundSms(f"SMbench{n}", phone, "+864778512345", "1"), utcnow(), app.config)
            db.session.commit()
            requests_.append(db.session.execute(text("SELECT max(id) FROM request")).scalar())
        detour = app.config["DETOUR_FACTOR"]
        for label, pick in [("every team", lambda r: rank_teams(gather_candidates(db.session, r, utcnow()),
                                                                lat=r.lat, lon=r.lon, category=r.category,
                                                                detour=detour)),
                            ("near first", lambda r: rank_request(db.session, r, utcnow(), detour=detour))]:
            durations = []
            for request_id in requests_ * 3:
                request = db.session.get(Request, request_id)
                begin = time.perf_counter()
                pick(request)
                durations.append((time.perf_counter() - begin) * 1000)
            db.session.rollback()
            print(f"a pick ({label}, {TEAMS} teams): median {statistics.median(durations):.1f} ms, "
                  f"p95 {percentile(durations, 95):.1f} ms over {len(durations)} picks")

        # 2. The dispatch job: rank and offer (the offer's SMS recorded, its jobs scheduled; no Redis round trips).
        durations = []
        for request_id in requests_:
            begin = time.perf_counter()
            offers.offer_to_next_team(db.session, request_id, utcnow(), app.config)
            db.session.commit()
            durations.append((time.perf_counter() - begin) * 1000)
        print(f"dispatch job (rank {TEAMS} teams + offer): median {statistics.median(durations):.0f} ms, "
              f"p95 {percentile(durations, 95):.0f} ms over {len(durations)} requests")


if __name__ == "__main__":
    main()
