"""A league-size roster as a folder of CSV files (design.md's columns): 3,734 teams, 11,202 members,
100,000 households by default, the size of Hinggan League's warm-service teams.

    python -m bench.league OUT_DIR [--teams 3734] [--members 11202] [--households 100000] [--seed 5]

Written row by row (bounded memory). bench/import.py uses it; so can anyone who wants a big roster to try.
"""
import argparse
import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

GACHAS_PER_TOWNSHIP = 10
NEEDS = ["", "", "", "elderly_alone", "disabled", "seriously_ill", "elderly_alone;unvaccinated_60", "pregnant"]


def write_league(out: Path, *, teams: int = 3734, members: int = 11202, households: int = 100_000,
                 seed: int = 5) -> dict[str, int]:
    """Write places, teams, members, leaders, vehicles, shifts and households CSV files into `out`; their row
    counts. One gacha per three teams, ten gachas a township, all inside Hinggan League's box."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    gachas = max(1, teams // 3)
    townships = max(1, gachas // GACHAS_PER_TOWNSHIP)
    counts = {}

    def sheet(name, header, rows):
        with open(out / f"{name}.csv", "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(header)
            n = 0
            for n, row in enumerate(rows, 1):
                writer.writerow(row)
        counts[name] = n

    point = {}

    def places():
        for t in range(townships):
            yield [f"T{t:03d}", f"第{t}苏木", "township", "", 46.0, 122.0]
        for g in range(gachas):
            lat, lon = round(45 + rng.random() * 2, 5), round(120 + rng.random() * 3, 5)
            point[g] = (lat, lon)
            yield [f"G{g:04d}", f"第{g}嘎查", "gacha", f"T{min(g // GACHAS_PER_TOWNSHIP, townships - 1):03d}", lat, lon]

    sheet("places", ["code", "name", "kind", "parent_code", "lat", "lon"], places())
    sheet("teams", ["code", "name", "place_code", "base_lat", "base_lon"],
          ([f"K{t:05d}", f"第{t}网格暖心服务小分队", f"G{t % gachas:04d}",
            round(point[t % gachas][0] + rng.uniform(-0.05, 0.05), 5),
            round(point[t % gachas][1] + rng.uniform(-0.05, 0.05), 5)] for t in range(teams)))
    roles = ["captain", "member", "doctor", "driver"]
    sheet("members", ["phone", "name", "team_code", "role", "language"],
          ([f"+86139{m:08d}", f"队员{m}", f"K{m % teams:05d}", roles[0] if m < teams else rng.choice(roles[1:]),
            rng.choice(["zh", "mn"])] for m in range(members)))
    sheet("leaders", ["phone", "name", "place_code", "role", "language"],
          ([f"+86137{g:08d}", f"书记{g}", f"G{g:04d}", "gacha_secretary", "zh"] for g in range(gachas)))
    sheet("vehicles", ["plate", "team_code", "kind", "seats"],
          ([f"蒙K{t:05d}", f"K{t:05d}", "越野车", 5] for t in range(teams)))
    start = datetime(2026, 12, 1)
    sheet("shifts", ["team_code", "starts_at", "ends_at", "vehicle_plate", "lead_phone"],
          ([f"K{t:05d}", f"{start + timedelta(hours=12 * h):%Y-%m-%d %H:%M}",
            f"{start + timedelta(hours=12 * h + 12):%Y-%m-%d %H:%M}", f"蒙K{t:05d}", f"+86139{t:08d}"]
           for t in range(teams) for h in range(2)))

    def households_rows():
        for h in range(households):
            g = rng.randrange(gachas)
            lat, lon = point[g]
            phones = f"+86150{h:08d}" + (f";+86151{h:08d}" if h % 4 == 0 else "")
            yield [f"H{h:06d}", f"户主{h}", phones, f"G{g:04d}", round(lat + rng.uniform(-0.1, 0.1), 5),
                   round(lon + rng.uniform(-0.1, 0.1), 5), rng.choice(["zh", "mn"]), rng.choice(NEEDS),
                   rng.choice(["", "", "green", "yellow", "red"]), f"+86139{rng.randrange(members):08d}"]

    sheet("households", ["ref", "head_name", "phones", "place_code", "lat", "lon", "language", "needs", "risk",
                         "contact_phone"], households_rows())
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--teams", type=int, default=3734)
    parser.add_argument("--members", type=int, default=11202)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    counts = write_league(args.out, teams=args.teams, members=args.members, households=args.households,
                          seed=args.seed)
    print(", ".join(f"{name} {n:,}" for name, n in counts.items()), f"written to {args.out}")


if __name__ == "__main__":
    main()
