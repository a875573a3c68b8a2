"""Checks across rows and sheets: codes that must exist (in the file or the database), and what must agree."""
from dataclasses import dataclass, field

from sqlalchemy import select

from models import Member, Place, Team, Vehicle

from .check import Errors, Row
from .sources import Sheet


@dataclass
class Known:
    """What the database holds, overlaid with what the file will write: the world the rows must agree with."""

    places: dict[str, tuple] = field(default_factory=dict)  # code -> (lat, lon)
    parents: dict[str, str | None] = field(default_factory=dict)  # code -> parent code, from the file
    teams: set[str] = field(default_factory=set)
    db_teams: set[str] = field(default_factory=set)
    vehicles: dict[str, str] = field(default_factory=dict)  # plate -> team code
    members: dict[str, str] = field(default_factory=dict)  # phone -> team code
    doubtful: set[str] = field(default_factory=set)  # place codes whose own row has errors

    @classmethod
    def from_database(cls, session) -> "Known":
        """What the database holds now: places with their points, teams, and the team of each vehicle and member."""
        known = cls()
        points = session.execute(select(Place.code, Place.lat, Place.lon))
        known.places = {code: (lat, lon) for code, lat, lon in points}
        known.db_teams = set(session.scalars(select(Team.code)))
        known.teams = set(known.db_teams)
        known.vehicles = dict(session.execute(select(Vehicle.plate, Team.code).join(Vehicle.team)).all())
        known.members = dict(session.execute(select(Member.phone, Team.code).join(Member.team)).all())
        return known

    def add_file(self, rows: dict[str, list[Row]]) -> None:
        """Overlay the file's keys, so a row may refer to another row of the same import."""
        for row in rows.get("places", []):
            if row["code"]:
                old = self.places.get(row["code"], (None, None))
                point = (row["lat"], row["lon"]) if row.has("lat") and row.has("lon") else old
                self.places[row["code"]] = point
                self.parents[row["code"]] = row["parent_code"]
                if row.bad:
                    self.doubtful.add(row["code"])
        self.teams.update(row["code"] for row in rows.get("teams", []) if row["code"])
        self.vehicles.update(_first(rows.get("vehicles", []), "plate", "team_code"))
        self.members.update(_first(rows.get("members", []), "phone", "team_code"))


def _first(rows: list[Row], key: str, value: str) -> dict:
    """key -> value from the first row with each key (a repeated key is reported as a duplicate)."""
    found: dict = {}
    for row in rows:
        if row[key] and row[value]:
            found.setdefault(row[key], row[value])
    return found


def check_references(sheets: dict[str, Sheet], rows: dict[str, list[Row]], known: Known, errors: Errors) -> None:
    """Add an error for every reference that points nowhere and every row that contradicts another."""
    for name, checker in CHECKERS.items():
        for row in rows.get(name, []):
            checker(sheets[name], row, known, errors)


def _place(sheet, row, column, known, errors) -> None:
    code = row[column]
    if code and code not in known.places:
        row.bad = True
        errors.add(sheet, row.number, column, f"unknown place code {code!r} (not in places, nor in the database)")


def _team(sheet, row, known, errors) -> None:
    code = row["team_code"]
    if code and code not in known.teams:
        row.bad = True
        errors.add(sheet, row.number, "team_code", f"unknown team code {code!r} (not in teams, nor in the database)")


def _pair(sheet, row, lat, lon, errors) -> None:
    """Latitude and longitude come together or not at all."""
    for given, missing in ((lat, lon), (lon, lat)):
        if row[given] is not None and row[missing] is None and missing not in row.failed:
            row.bad = True
            errors.add(sheet, row.number, missing, f"is empty but {given} is given; fill both or neither")


def check_place(sheet, row, known, errors) -> None:
    """A place's lat and lon come as a pair, and its parent exists and does not lead back to it (a loop)."""
    _pair(sheet, row, "lat", "lon", errors)
    parent = row["parent_code"]
    if not parent:
        return
    if parent == row["code"]:
        errors.add(sheet, row.number, "parent_code", f"{parent!r} is the place itself")
        return
    _place(sheet, row, "parent_code", known, errors)
    seen, code = {row["code"]}, parent
    while code in known.parents and known.parents[code]:
        code = known.parents[code]
        if code in seen:
            errors.add(sheet, row.number, "parent_code", f"{parent!r} leads back to {row['code']!r} (a loop)")
            return
        seen.add(code)


def check_team(sheet, row, known, errors) -> None:
    """A team's place exists, its base comes as a pair, and a base left empty needs its place's lat/lon instead."""
    _place(sheet, row, "place_code", known, errors)
    _pair(sheet, row, "base_lat", "base_lon", errors)
    if row["base_lat"] is not None or row["base_lon"] is not None:
        return
    if not row.has("base_lat") and row["code"] in known.db_teams:
        return  # no base columns at all: an existing team keeps its base
    if row["place_code"] in known.doubtful:
        return  # the place's own row is already reported
    lat, lon = known.places.get(row["place_code"], (None, None))
    if row["place_code"] in known.places and (lat is None or lon is None):
        row.bad = True
        errors.add(sheet, row.number, "base_lat",
                   f"is empty and place {row['place_code']!r} has no lat/lon either; give the team's base")


def check_member(sheet, row, known, errors) -> None:
    """A member's team exists, in the file or the database."""
    _team(sheet, row, known, errors)


def check_leader(sheet, row, known, errors) -> None:
    """A leader's place exists, in the file or the database."""
    _place(sheet, row, "place_code", known, errors)


def check_vehicle(sheet, row, known, errors) -> None:
    """A vehicle's team exists, in the file or the database."""
    _team(sheet, row, known, errors)


def check_shift(sheet, row, known, errors) -> None:
    """A shift's team exists, it ends after it starts, and its vehicle and lead belong to that team."""
    _team(sheet, row, known, errors)
    starts, ends, team = row["starts_at"], row["ends_at"], row["team_code"]
    team = team if team in known.teams else None  # an unknown team is reported once, above
    if starts and ends and ends <= starts:
        row.bad = True
        errors.add(sheet, row.number, "ends_at", "is not after starts_at; a shift must end after it starts")
    plate = row["vehicle_plate"]
    if plate and plate not in known.vehicles:
        row.bad = True
        errors.add(sheet, row.number, "vehicle_plate",
                   f"unknown vehicle {plate!r} (not in vehicles, nor in the database)")
    elif plate and team and known.vehicles[plate] != team:
        row.bad = True
        errors.add(sheet, row.number, "vehicle_plate",
                   f"vehicle {plate!r} belongs to team {known.vehicles[plate]!r}, not {team!r}")
    for phone in row["member_phones"] or []:
        if team and known.members.get(phone) != team:
            row.bad = True
            elsewhere = f" (it is in team {known.members[phone]!r})" if phone in known.members else ""
            errors.add(sheet, row.number, "member_phones", f"{phone!r} is not a member of team {team!r}{elsewhere}")
    lead = row["lead_phone"]
    if lead and team and known.members.get(lead) != team:
        row.bad = True
        elsewhere = f" (it is in team {known.members[lead]!r})" if lead in known.members else ""
        errors.add(sheet, row.number, "lead_phone", f"{lead!r} is not a member of team {team!r}{elsewhere}")


def check_household(sheet, row, known, errors) -> None:
    """A household's place exists and its lat and lon come as a pair."""
    _place(sheet, row, "place_code", known, errors)
    _pair(sheet, row, "lat", "lon", errors)


CHECKERS = {"places": check_place, "teams": check_team, "members": check_member, "leaders": check_leader,
            "vehicles": check_vehicle, "shifts": check_shift, "households": check_household}
