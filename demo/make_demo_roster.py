"""Build the demo roster, demo/roster/*.csv and demo/README.md, for 鄂托克前旗 (Otog Front Banner, code 150623).

COORDINATES ARE SYNTHETIC. Place names and codes are real (shared/data, national statistics codes 2023), but no
public source gives the position of a gacha, so gacha centres, team bases and households are scattered with a
seeded random generator inside the banner's bounding box from shared/data/county_extents.csv. Only the seat of
敖勒召其镇 has a published point. People, phone numbers and plates are invented; the numbers are valid Chinese
mobile numbers, so never load the demo into a service that really sends SMS.

Run from the repository: `python demo/make_demo_roster.py [--data ../shared/data]`. Same seed, same files.
Shift times start on a fixed date; `flask --app wsgi load-demo` moves them so the first starts today.
"""
import argparse
import csv
import math
import random
from datetime import datetime, timedelta
from pathlib import Path

import phonenumbers

from mongolian_names import place_name_mn, team_name_mn  # beside this script, which runs from demo/

BANNER, SEED = "150623", 150623
HERE = Path(__file__).resolve().parent
START = datetime(2026, 1, 1, 0, 0)  # local time (TIMEZONE); moved to today by load-demo
DAYS, BLOCK_HOURS = 14, 12
TEAM_GACHAS = {"150623103": 5, "150623102": 4, "150623101": 3, "150623100": 2}  # gachas with teams, per township
TOTAL_TEAMS, TOTAL_MEMBERS, HOUSEHOLDS = 40, 150, 300
TOUR_GACHA, TOUR_TOWNSHIP = "150623103203", "150623103"  # 哈日根图嘎查, 昂素镇 (where the notice came from)
TOUR_PHONES = {"herder_mn": "+8613900000001", "herder_zh": "+8613900000002", "secretary": "+8613900000021",
               "township": "+8613900000031", "members": ["+8613900000011", "+8613900000012", "+8613900000013",
                                                         "+8613900000014", "+8613900000015"]}
MONGOLIAN = ("巴特尔 乌云其木格 额尔敦 其其格 苏和 萨仁高娃 朝鲁 阿拉坦仓 格日勒图 孟和 那顺 斯琴 图雅 宝音 达来 娜仁花 "
             "哈斯 乌日娜 布和 额尔德尼 呼和 特木尔 敖其尔 吉日嘎拉 青格乐 萨其拉 乌力吉 满都拉 查干 白音 斯日古楞 "
             "其木格 塔娜 高娃 托娅 毕力格 巴雅尔 那仁 额日和木 嘎日迪 苏布达 恩和 陶格陶 宝力道 阿木古楞 哈斯巴根 "
             "朝格图 乌恩 通拉嘎 敖登 图门 达古拉 阿荣 萨日娜 那木拉 巴图 乌兰图雅 德力格尔 阿拉腾花 孟克").split()
MONGOLIAN_SURNAMES = ["", "包", "白", "韩", "宝", "奇", "云", "鲍", "那", "乌"]
CHINESE_SURNAMES = list("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林郑梁谢宋韩冯邓曹彭田贾杜")
CHINESE_GIVEN = ("建国 秀英 桂兰 志强 海军 玉梅 建华 淑珍 国庆 春花 文斌 丽娟 永红 红梅 德福 凤英 振华 金山 "
                 "小燕 翠兰 立新 桂芳 宏伟 秀兰 保平 海燕 玉兰 树林 长青 俊峰").split()
MOBILE_PREFIXES = ["139", "138", "137", "135", "150", "151", "152", "158", "159", "182", "187", "188", "130",
                   "131", "132", "155", "156", "186", "133", "153", "177", "180", "189"]
VEHICLE_KINDS = [("越野车", 5), ("皮卡", 5), ("面包车", 7), ("越野车", 5), ("救护车", 4)]
NEEDS = [("elderly_alone", .45), ("disabled", .12), ("seriously_ill", .12), ("unvaccinated_60", .2),
         ("child_in_difficulty", .05), ("pregnant", .04)]


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


class Demo:
    def __init__(self, data: Path):
        self.rng = random.Random(SEED)
        box = next((r for r in read_csv(data / "county_extents.csv") if r["code"] == BANNER), None)
        towns = [r for r in read_csv(data / "townships_150623_1522.csv") if r["parent_code"] == BANNER]
        self.towns = [t for t in towns if t["code"] in TEAM_GACHAS]  # leaves out the virtual development zone
        if box:
            self.box = (float(box["min_lat"]), float(box["max_lat"]), float(box["min_lon"]), float(box["max_lon"]))
            self.box_note = "the bounding box of 鄂托克前旗 in county_extents.csv"
        else:  # documented fallback: the banner seat ± 0.5 degrees
            seat = next(t for t in towns if t["lat"])
            lat, lon = float(seat["lat"]), float(seat["lon"])
            self.box = (lat - .5, lat + .5, lon - .5, lon + .5)
            self.box_note = "the banner seat's point ± 0.5 degrees (the banner is missing from county_extents.csv)"
        self.units = [v for v in read_csv(data / "villages_150623_1522.csv")
                      if v["parent_code"] in TEAM_GACHAS and "虚拟" not in v["name"]]
        self.used_phones = {p for v in TOUR_PHONES.values() for p in (v if isinstance(v, list) else [v])}
        self.used_names: set[str] = set()
        self.points: dict[str, tuple[float, float]] = {}

    # ---- small generators ------------------------------------------------------------------------------
    def clip(self, lat, lon, margin=.03):
        lo_lat, hi_lat, lo_lon, hi_lon = self.box
        return (round(min(max(lat, lo_lat + margin), hi_lat - margin), 5),
                round(min(max(lon, lo_lon + margin), hi_lon - margin), 5))

    def near(self, point, spread, margin=.03):
        """A random point within `spread` degrees of `point`, drawn again until it falls inside the box."""
        lo_lat, hi_lat, lo_lon, hi_lon = self.box
        while True:
            lat = point[0] + self.rng.uniform(-spread, spread)
            lon = point[1] + self.rng.uniform(-spread, spread)
            if lo_lat + margin <= lat <= hi_lat - margin and lo_lon + margin <= lon <= hi_lon - margin:
                return round(lat, 5), round(lon, 5)

    def phone(self) -> str:
        while True:
            number = f"+86{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"
            if number not in self.used_phones and phonenumbers.is_valid_number(phonenumbers.parse(number)):
                self.used_phones.add(number)
                return number

    def name(self, language: str) -> str:
        while True:
            if language == "mn":
                name = self.rng.choice(MONGOLIAN_SURNAMES) + self.rng.choice(MONGOLIAN)
            else:
                name = self.rng.choice(CHINESE_SURNAMES) + self.rng.choice(CHINESE_GIVEN)
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def language(self) -> str:
        return self.rng.choice(["mn", "zh"])

    # ---- the roster -----------------------------------------------------------------------------------
    def places(self) -> list[list]:
        rows = []
        lo_lat, hi_lat, lo_lon, hi_lon = self.box
        for town in self.towns:
            if town["lat"]:
                point = (float(town["lat"]), float(town["lon"]))  # published seat coordinates
            else:
                point = self.clip(self.rng.uniform(lo_lat, hi_lat), self.rng.uniform(lo_lon, hi_lon), margin=.25)
            self.points[town["code"]] = point
            rows.append([town["code"], town["name"], "township", "", *point, place_name_mn(town["name"])])
        for unit in self.units:
            kind = "community" if unit["level"] == "community" else "gacha"  # 嘎查 and 村 alike are gachas here
            point = self.near(self.points[unit["parent_code"]], .03 if kind == "community" else .22)
            self.points[unit["code"]] = point
            rows.append([unit["code"], unit["name"], kind, unit["parent_code"], *point, place_name_mn(unit["name"])])
        return rows

    def teams(self) -> list[dict]:
        gachas = []
        for town, count in TEAM_GACHAS.items():
            pool = [u for u in self.units if u["parent_code"] == town and u["level"] != "community"]
            chosen = self.rng.sample(pool, count)
            if town == TOUR_TOWNSHIP and not any(u["code"] == TOUR_GACHA for u in chosen):
                chosen[0] = next(u for u in pool if u["code"] == TOUR_GACHA)
            gachas += chosen
        sizes = [self.rng.randint(2, 4) for _ in gachas]
        while sum(sizes) != TOTAL_TEAMS:
            i = self.rng.randrange(len(sizes))
            sizes[i] += (1 if sizes[i] < 4 else 0) if sum(sizes) < TOTAL_TEAMS else (-1 if sizes[i] > 2 else 0)
        teams = []
        for gacha, size in zip(gachas, sizes):
            for k in range(1, size + 1):
                base = self.near(self.points[gacha["code"]], .06)
                teams.append({"code": f"{gacha['code']}-{k}", "name": f"{gacha['name']}第{k}网格暖心服务小分队",
                              "name_mn": team_name_mn(place_name_mn(gacha["name"]), k),
                              "place": gacha["code"], "base": base, "write_base": len(teams) % 5 != 4})
        for team in teams:  # a fifth of the rows leave the base empty: it defaults to the gacha's point
            if not team["write_base"]:
                team["base"] = self.points[team["place"]]
        return teams

    def build(self) -> dict:
        roster = {"places": self.places()}
        teams = self.teams()
        # the tour's herders live a few km from their gacha's centre; the tour team is whichever is nearest
        herder_point = self.near(self.points[TOUR_GACHA], .05)
        neighbour_point = self.clip(herder_point[0] + .012, herder_point[1] - .01)
        tour_team = min(teams, key=lambda t: km(t["base"], herder_point))
        sizes = [self.rng.randint(3, 5) for _ in teams]
        while sum(sizes) != TOTAL_MEMBERS:
            i = self.rng.randrange(len(sizes))
            sizes[i] += (1 if sizes[i] < 5 else 0) if sum(sizes) < TOTAL_MEMBERS else (-1 if sizes[i] > 3 else 0)
        no_vehicle = set(self.rng.sample([t["code"] for t in teams if t is not tour_team], 3))
        two_vehicles = set(self.rng.sample([t["code"] for t in teams if t["code"] not in no_vehicle], 3))
        members, vehicles, plates = [], [], set()
        for index, (team, size) in enumerate(zip(teams, sizes)):
            has_car = team["code"] not in no_vehicle
            roles = ["captain"] + (["doctor"] if index % 3 == 0 else []) + (["driver"] if has_car else [])
            roles += ["member"] * (size - len(roles))
            team["members"] = []
            for n, role in enumerate(roles[:size]):
                language = "mn" if team is tour_team and n % 2 == 0 else self.language()
                phone = TOUR_PHONES["members"][n] if team is tour_team else self.phone()
                member = {"phone": phone, "name": self.name(language), "team": team["code"], "role": role,
                          "language": language}
                team["members"].append(member)
                members.append(member)
            team["plates"] = []
            for _ in range(0 if not has_car else 2 if team["code"] in two_vehicles else 1):
                plate = ""
                while not plate or plate in plates:
                    plate = f"蒙K{self.rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}{self.rng.randrange(10**4):04d}"
                plates.add(plate)
                kind, seats = self.rng.choice(VEHICLE_KINDS)
                team["plates"].append(plate)
                vehicles.append([plate, team["code"], kind, seats])
        roster["teams"] = [[t["code"], t["name"], t["place"], *(t["base"] if t["write_base"] else ("", "")),
                            t["name_mn"]] for t in teams]
        roster["members"] = [[m["phone"], m["name"], m["team"], m["role"], m["language"]] for m in members]
        roster["vehicles"] = vehicles
        roster["shifts"] = self.shifts(teams, tour_team)
        roster["leaders"], leaders = self.leaders(teams)
        roster["households"], tour_households = self.households(teams, tour_team, herder_point, neighbour_point)
        return {"roster": roster, "tour_team": tour_team, "leaders": leaders, "tour_households": tour_households,
                "herder_point": herder_point, "teams": teams}

    def shifts(self, teams, tour_team) -> list[list]:
        rows = []
        for index, team in enumerate(teams):
            for block in range(DAYS * 24 // BLOCK_HOURS):
                tour = team is tour_team
                if not tour and (block + 3 * index) % 8 == 0:
                    continue  # off duty: the team rests this block
                starts = START + timedelta(hours=block * BLOCK_HOURS)
                plate = team["plates"][block % len(team["plates"])] if team["plates"] else ""
                if plate and not tour and self.rng.random() < .06:
                    plate = ""  # the car is away for repairs or on another call
                lead = team["members"][block % len(team["members"])]["phone"]
                rows.append([team["code"], f"{starts:%Y-%m-%d %H:%M}",
                             f"{starts + timedelta(hours=BLOCK_HOURS):%Y-%m-%d %H:%M}", plate, lead])
        return rows

    def leaders(self, teams) -> tuple[list[list], list[dict]]:
        leaders = []
        for town in self.towns:
            tour = town["code"] == TOUR_TOWNSHIP
            language = "mn" if tour else self.language()
            leaders.append({"phone": TOUR_PHONES["township"] if tour else self.phone(), "name": self.name(language),
                            "place": town["code"], "role": "township_leader", "language": language})
        gachas = [TOUR_GACHA] + [g for g in dict.fromkeys(t["place"] for t in teams) if g != TOUR_GACHA][:3]
        for gacha in gachas:
            tour = gacha == TOUR_GACHA
            language = "zh" if tour else self.language()
            leaders.append({"phone": TOUR_PHONES["secretary"] if tour else self.phone(), "name": self.name(language),
                            "place": gacha, "role": "gacha_secretary", "language": language})
        return [[x["phone"], x["name"], x["place"], x["role"], x["language"]] for x in leaders], leaders

    def households(self, teams, tour_team, herder_point, neighbour_point):
        team_gachas = list(dict.fromkeys(t["place"] for t in teams))
        other_gachas = [u["code"] for u in self.units if u["level"] != "community" and u["code"] not in team_gachas]
        communities = [u["code"] for u in self.units if u["level"] == "community"]
        rows, tour = [], []
        for n in range(1, HOUSEHOLDS + 1):
            if n <= 2:  # the tour's two herders, next to each other
                language, place = ("mn", "zh")[n - 1], TOUR_GACHA
                point = herder_point if n == 1 else neighbour_point
                phones = [TOUR_PHONES["herder_mn" if n == 1 else "herder_zh"]]
                name = "巴图孟和" if n == 1 else "王桂兰"
                needs, risk = ("elderly_alone;unvaccinated_60", "yellow") if n == 1 else ("seriously_ill", "red")
                self.used_names.add(name)
            else:
                roll = self.rng.random()
                place = self.rng.choice(team_gachas if roll < .7 else other_gachas if roll < .92 else communities)
                point = self.near(self.points[place], .015 if place in communities else .1)
                language, phones = self.language(), []
                name = self.name(language)
                for _ in range(self.rng.choices([0, 1, 2], [5, 70, 25])[0]):
                    phones.append(self.phone())
                needs = ";".join(need for need, p in NEEDS if self.rng.random() < p)
                risk = self.rng.choices(["red", "yellow", "green", ""], [12, 30, 48, 10])[0]
            nearest = min(teams, key=lambda t: km(t["base"], point))
            local = [t for t in teams if t["place"] == place]
            contact = (tour_team if n <= 2 else local[n % len(local)] if local else nearest)["members"]
            contact_phone = contact[0 if n <= 2 else n % len(contact)]["phone"]
            # The tour's Chinese-speaking herder reads: the hotline's weekly check-in comes to her by SMS.
            reads = "zh" if n == 2 else ""
            row = [f"H{n:04d}", name, ";".join(phones), place, *point, language, needs, risk, contact_phone, reads]
            rows.append(row)
            if n <= 2:
                tour.append({"ref": row[0], "name": name, "phone": phones[0], "language": language,
                             "nearest": nearest["code"], "km": km(nearest["base"], point)})
        return rows, tour


def km(a, b) -> float:
    """Great-circle distance in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


HEADERS = {
    "places": ["code", "name", "kind", "parent_code", "lat", "lon", "name_mn"],
    "teams": ["code", "name", "place_code", "base_lat", "base_lon", "name_mn"],
    "members": ["phone", "name", "team_code", "role", "language"],
    "leaders": ["phone", "name", "place_code", "role", "language"],
    "vehicles": ["plate", "team_code", "kind", "seats"],
    "shifts": ["team_code", "starts_at", "ends_at", "vehicle_plate", "lead_phone"],
    "households": ["ref", "head_name", "phones", "place_code", "lat", "lon", "language", "needs", "risk",
                   "contact_phone", "sms_language"],
}


def write_readme(path: Path, demo: Demo, built: dict) -> None:
    """demo/README.md, generated with the files so the tour's phones never drift from the roster."""
    roster, team = built["roster"], built["tour_team"]
    names = {row[0]: row[1] for row in roster["places"]}
    counts = "\n".join(f"| `{sheet}.csv` | {len(roster[sheet])} |" for sheet in HEADERS)
    herders = "\n".join(f"| herder ({'Mongolian' if h['language'] == 'mn' else 'Chinese'}-speaking), household "
                        f"`{h['ref']}` | {h['name']} | `{h['phone']}` | nearest team `{h['nearest']}`, "
                        f"{h['km']:.1f} km |" for h in built["tour_households"])
    members = "\n".join(f"| team member ({m['role']}, {m['language']}) | {m['name']} | `{m['phone']}` | |"
                        for m in team["members"])
    leaders = "\n".join(f"| {x['role'].replace('_', ' ')}, {names[x['place']]} | {x['name']} | `{x['phone']}` | |"
                        for x in built["leaders"] if x["phone"] in (TOUR_PHONES["secretary"], TOUR_PHONES["township"]))
    path.write_text(f"""# Demo roster: 鄂托克前旗 (Otog Front Banner)

Generated by `python demo/make_demo_roster.py` (do not edit by hand; change the script and run it again).
Load it with `flask --app wsgi load-demo` (only into a database with no places), or import it like any roster
with `flask --app wsgi import-roster demo/roster`.

**Coordinates are synthetic.** The names and codes of the townships and gachas are real (national statistics codes,
2023 edition, from `shared/data`), but no public source gives where a gacha lies, so gacha centres, team bases and
households are placed with a seeded random generator inside {demo.box_note}. Only the seat of 敖勒召其镇 is a
published point. Every person, phone number and plate is invented. The phone numbers are valid Chinese mobile
numbers and could belong to someone: use the demo with `SMS_BACKEND=console` (the simulator) only;
`load-demo` refuses a Twilio backend unless told `--allow-twilio`.

What is in it: the four townships of the banner with their {len(demo.units)} gachas and communities (嘎查 and 村 are
imported as `gacha`, 社区 as `community`; the development zone's virtual community is left out), warm-service teams
in {len(set(t['place'] for t in built['teams']))} gachas, their members (captains, doctors, drivers, members),
leaders, vehicles, households with needs and risk colours, Mongolian and Chinese speakers about half each.
Places whose names are Mongolian, and their teams, carry `name_mn` in the traditional script
(`demo/mongolian_names.py`: read back from the Chinese transcriptions by a non-native writer, to be checked);
places with Chinese names (most 村) have none, and Mongolian texts name them in Chinese.

| file | rows |
|---|---|
{counts}

Shifts: {DAYS} days of {BLOCK_HOURS}-hour blocks from {START:%Y-%m-%d %H:%M} local time; `load-demo` moves them all
by one offset so the first block starts at the start of today (in `TIMEZONE`). In any block most teams are on duty;
a few rest (no shift) and a few are on duty without a vehicle (empty `vehicle_plate`), so ranking has teams to skip.
A fifth of the teams leave `base_lat`/`base_lon` empty: their base is their gacha's point.

## Simulator tour: fixed phones

The tour team `{team['code']}` ({team['name']}) is on duty with a vehicle in every block.

| who | name | phone | note |
|---|---|---|---|
{herders}
{members}
{leaders}

A tour: text `1` (or `送药`) from `{TOUR_PHONES['herder_mn']}`; the team above gets the offer; reply `1` from
`{team['members'][0]['phone']}` to accept and `0 <ref>` when done. Let an offer time out to see it move on and,
finally, reach the gacha secretary and the township leader; text `OPEN` from `{TOUR_PHONES['secretary']}`.
""", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=HERE / "roster")
    args = parser.parse_args()
    demo = Demo(args.data)
    built = demo.build()
    args.out.mkdir(parents=True, exist_ok=True)
    for sheet, header in HEADERS.items():
        with (args.out / f"{sheet}.csv").open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(built["roster"][sheet])
    write_readme(HERE / "README.md", demo, built)
    for sheet in HEADERS:
        print(f"{sheet}: {len(built['roster'][sheet])} rows")


if __name__ == "__main__":
    main()
