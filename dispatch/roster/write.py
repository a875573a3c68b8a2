"""Writing checked rows: upsert by key, sheet by sheet in dependency order, flushing but never committing."""
import gc

from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from models import (DutyShift, Household, HouseholdPhone, Language, Leader, LeaderRole, Member, MemberKind, MemberRole,
                    Place, PlaceKind, Risk, Team, Vehicle)

from .check import Row
from .numbers import assign_short_numbers
from .results import SHEETS, ImportSummary

PROGRESS_EVERY = 500
CHUNK = 500  # keys per IN (...) query
# Households, too many to hold as objects, are written a chunk at a time, each chunk's objects let go of once
# flushed (still one transaction: all or nothing, as for the other sheets). Measured on the league
# (bench/import.py, 100,000 households): chunks of 2,000 took 107 s at 359 MiB, of 10,000 70 s at 424 MiB, of
# 25,000 41 s at 585 MiB, each chunk costing more than the one before it: PostgreSQL, without statistics for
# the growing table, scanned all of it for every look-up (_refresh_statistics). With them: chunks of 2,000
# 41.2 s at 360 MiB, of 5,000 37.2 s at 374 MiB, of 25,000 37.1 s at 592 MiB.
WRITE_CHUNK = 5000


class Writer:
    """Upserts the rows of one import into `session`; one instance per import."""

    def __init__(self, session, summary: ImportSummary, progress=None):
        self.session = session
        self.summary = summary
        self.progress = progress
        self.places: dict[str, Place] = {}
        self.teams: dict[str, Team] = {}
        self.vehicles: dict[str, Vehicle] = {}
        self.members: dict[str, Member] = {}

    def write(self, rows: dict[str, list[Row]]) -> None:
        """Write every sheet present in `rows`, parents before children."""
        self.places = self._load(Place, Place.code, _refs(rows, ("places", "code"), ("places", "parent_code"),
                                                          ("teams", "place_code"), ("leaders", "place_code"),
                                                          ("households", "place_code")))
        self.teams = self._load(Team, Team.code, _refs(rows, ("teams", "code"), ("members", "team_code"),
                                                       ("vehicles", "team_code"), ("shifts", "team_code")))
        self.members = self._load(Member, Member.phone, _refs(rows, ("members", "phone"), ("shifts", "lead_phone"))
                                  | {phone for row in rows.get("shifts", []) for phone in row["member_phones"] or []})
        self.vehicles = self._load(Vehicle, Vehicle.plate, _refs(rows, ("vehicles", "plate"),
                                                                 ("shifts", "vehicle_plate")))
        for name in SHEETS:
            if name in rows:
                getattr(self, f"_write_{name}")(rows[name])
                self.session.flush()
        assign_short_numbers(self.session)  # every gacha gets a card number for the voice line
        self.session.flush()

    def _load(self, model, key_column, keys, *options) -> dict:
        found = {}
        keys = sorted(keys)
        for start in range(0, len(keys), CHUNK):
            query = select(model).where(key_column.in_(keys[start:start + CHUNK])).options(*options)
            for row in self.session.scalars(query):
                found[getattr(row, key_column.key)] = row
        return found

    def _each(self, sheet: str, rows, total: int | None = None, start: int = 0):
        total = len(rows) if total is None else total
        for done, row in enumerate(rows, start + 1):
            yield row
            if self.progress and (done % PROGRESS_EVERY == 0 or done == total):
                self.progress(sheet, done, total)

    def _upsert(self, sheet: str, store: dict, key, make, values: dict):
        """Create or update one object; count which it was."""
        count = self.summary.count(sheet)
        existing = store.get(key)
        if existing is None:
            obj = make(**values)
            self.session.add(obj)
            store[key] = obj
            count.created += 1
            return obj
        if _assign(existing, values):
            count.updated += 1
        else:
            count.unchanged += 1
        return existing

    def _write_places(self, rows: list[Row]) -> None:
        for row in self._each("places", _parents_first(rows)):
            values = {"name": row["name"], "kind": PlaceKind(row["kind"]),
                      "parent": self.places[row["parent_code"]] if row["parent_code"] else None}
            values.update(_present(row, "lat", "lon", "name_mn"))
            if row["card_number"]:
                values["short_number"] = row["card_number"]
            self._upsert("places", self.places, row["code"], lambda **v: Place(code=row["code"], **v), values)

    def _write_teams(self, rows: list[Row]) -> None:
        for row in self._each("teams", rows):
            place = self.places[row["place_code"]]
            values = {"name": row["name"], "place": place}
            values.update(_present(row, "name_mn"))
            if row["base_lat"] is not None:
                values.update(base_lat=row["base_lat"], base_lon=row["base_lon"])
            elif row.has("base_lat") or row["code"] not in self.teams:
                values.update(base_lat=place.lat, base_lon=place.lon)
            self._upsert("teams", self.teams, row["code"], lambda **v: Team(code=row["code"], **v), values)

    def _write_members(self, rows: list[Row]) -> None:
        for row in self._each("members", rows):
            values = {"name": row["name"], "team": self.teams[row["team_code"]], "role": MemberRole(row["role"])}
            if row.has("kind"):
                values["kind"] = MemberKind(row["kind"]) if row["kind"] else None
            values.update(_language(row, row["phone"] not in self.members))
            self._upsert("members", self.members, row["phone"], lambda **v: Member(phone=row["phone"], **v), values)

    def _write_leaders(self, rows: list[Row]) -> None:
        leaders = self._load(Leader, Leader.phone, {row["phone"] for row in rows})
        for row in self._each("leaders", rows):
            values = {"name": row["name"], "place": self.places[row["place_code"]], "role": LeaderRole(row["role"])}
            values.update(_language(row, row["phone"] not in leaders))
            self._upsert("leaders", leaders, row["phone"], lambda **v: Leader(phone=row["phone"], **v), values)

    def _write_vehicles(self, rows: list[Row]) -> None:
        for row in self._each("vehicles", rows):
            values = {"team": self.teams[row["team_code"]], "seats": row["seats"]}
            if row.has("kind") or row["plate"] not in self.vehicles:
                values["kind"] = row["kind"] or ""
            self._upsert("vehicles", self.vehicles, row["plate"], lambda **v: Vehicle(plate=row["plate"], **v),
                         values)

    def _write_shifts(self, rows: list[Row]) -> None:
        team_ids = sorted({self.teams[row["team_code"]].id for row in rows})
        earliest, latest = min(r["starts_at"] for r in rows), max(r["starts_at"] for r in rows)
        shifts = {}
        for start in range(0, len(team_ids), CHUNK):
            query = select(DutyShift).where(DutyShift.team_id.in_(team_ids[start:start + CHUNK]),
                                            DutyShift.starts_at.between(earliest, latest))
            shifts.update({(s.team_id, s.starts_at): s for s in self.session.scalars(query)})
        for row in self._each("shifts", rows):
            team = self.teams[row["team_code"]]
            values = {"ends_at": row["ends_at"]}
            if row.has("vehicle_plate"):
                values["vehicle"] = self.vehicles[row["vehicle_plate"]] if row["vehicle_plate"] else None
            if row.has("lead_phone"):
                values["lead"] = self.members[row["lead_phone"]] if row["lead_phone"] else None
            if row.has("member_phones"):
                values["listed_members"] = [self.members[phone] for phone in row["member_phones"] or []]
            self._upsert("shifts", shifts, (team.id, row["starts_at"]),
                         lambda **v: DutyShift(team=team, starts_at=row["starts_at"], **v), values)

    def _write_households(self, rows: list[Row]) -> None:
        """Households a chunk at a time: the chunk's existing rows loaded, upserted, flushed, then let go of."""
        for done in range(0, len(rows), WRITE_CHUNK):
            written = self._write_household_chunk(rows[done:done + WRITE_CHUNK], len(rows), done)
            self.session.flush()
            self._refresh_statistics("household", "household_phone")
            for household in written:  # flushed: the session need not hold them (bounded memory)
                for phone in household.phones:
                    self.session.expunge(phone)
                self.session.expunge(household)
            del written
            gc.collect()  # a household and its phones point at each other: freed only by the collector

    def _refresh_statistics(self, *tables: str) -> None:
        """Let PostgreSQL's planner see how large the tables have grown in this very transaction. A table it has
        no statistics for (a new database's, until autovacuum has looked at it after a commit) looks as if any
        `ref IN (...)` of the next chunk's 500 keys matched every row: it then scans the whole, growing table for
        each of them, comparing every row with every key, and the first league import took 150 s instead of
        about 40. ANALYZE counts the rows this transaction inserted; it runs inside it (SQLite has no need)."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("ANALYZE " + ", ".join(tables)))

    def _write_household_chunk(self, rows: list[Row], total: int, done: int) -> list[Household]:
        households = self._load(Household, Household.ref, {row["ref"] for row in rows},
                                selectinload(Household.phones))
        written = []
        for row in self._each("households", rows, total, done):
            new = row["ref"] not in households
            values = {"head_name": row["head_name"], "place": self.places[row["place_code"]]}
            values.update(_present(row, "lat", "lon", "risk", "contact_phone", "contact_name"))
            if "risk" in values and values["risk"] is not None:
                values["risk"] = Risk(values["risk"])
            if row.has("needs") or new:
                values["needs"] = row["needs"] or ""
            values.update(_language(row, new))
            count = self.summary.count("households")
            before = count.updated
            household = self._upsert("households", households, row["ref"],
                                     lambda **v: Household(ref=row["ref"], **v), values)
            if row.has("phones") and _replace_phones(household, row["phones"] or []) and not new:
                if count.updated == before:  # only the phones changed
                    count.updated += 1
                    count.unchanged -= 1
            written.append(household)
        return written


def _replace_phones(household: Household, numbers: list[str]) -> bool:
    """Make the household's phones exactly `numbers`, keeping rows that stay (the unique key would clash)."""
    current = [p.phone for p in household.phones]
    if set(current) == set(numbers):  # the relationship has no order; only the set counts
        return False
    for phone in list(household.phones):
        if phone.phone not in numbers:
            household.phones.remove(phone)
    for number in numbers:
        if number not in current:
            household.phones.append(HouseholdPhone(phone=number))
    return True


def _assign(obj, values: dict) -> bool:
    """Set each attribute that differs; True when anything changed."""
    changed = False
    for name, value in values.items():
        current = getattr(obj, name)
        same = current is value if hasattr(value, "_sa_instance_state") or value is None else current == value
        if not same:
            setattr(obj, name, value)
            changed = True
    return changed


def _present(row: Row, *columns) -> dict:
    return {column: row[column] for column in columns if row.has(column)}


def _language(row: Row, new: bool) -> dict:
    """What a person hears (`language`, Chinese when empty) and, when given, what they are texted."""
    values = {}
    if row.has("language") or new:
        values["language"] = Language(row["language"] or "zh")
    if row.has("sms_language"):
        values["sms_language"] = Language(row["sms_language"]) if row["sms_language"] else None
    return values


def _refs(rows: dict[str, list[Row]], *pairs) -> set:
    return {row[column] for sheet, column in pairs for row in rows.get(sheet, []) if row[column]}


def _parents_first(rows: list[Row]) -> list[Row]:
    """Places ordered so that a parent given in the same file is written before its children."""
    parent_of = {row["code"]: row["parent_code"] for row in rows}

    def depth(code, seen=()):
        parent = parent_of.get(code)
        return 0 if parent not in parent_of or code in seen else 1 + depth(parent, seen + (code,))

    return sorted(rows, key=lambda row: depth(row["code"]))
