"""Every cell of every row read and checked on its own; duplicates of a sheet's key found.

The result is plain rows of clean values plus the error lines; nothing here touches the database.
"""
from dataclasses import dataclass, field
from functools import partial
from zoneinfo import ZoneInfo

from models import NEEDS, Language, LeaderRole, MemberKind, MemberRole, PlaceKind, Risk

from . import cells
from .cells import CellError
from .numbers import read_card_number
from .results import SHEETS
from .sources import Sheet

REQUIRED, OPTIONAL = True, False


def columns(region: str, zone: ZoneInfo) -> dict[str, list[tuple[str, bool, object]]]:
    """Each sheet's columns as (name, required, reader), in the order of design.md."""
    phone = partial(cells.phone, region=region)
    languages = partial(cells.choice, allowed=[v.value for v in Language])
    language = ("language", OPTIONAL, languages)
    sms_language = ("sms_language", OPTIONAL, languages)  # optional: what they are texted, if not `language`
    name_mn = ("name_mn", OPTIONAL, partial(cells.text, limit=200))  # optional: the Mongolian name
    return {
        "places": [("code", REQUIRED, partial(cells.code, limit=20)), ("name", REQUIRED, cells.text),
                   ("kind", REQUIRED, partial(cells.choice, allowed=[v.value for v in PlaceKind])),
                   ("parent_code", OPTIONAL, partial(cells.code, limit=20)),
                   ("lat", OPTIONAL, cells.latitude), ("lon", OPTIONAL, cells.longitude),
                   ("card_number", OPTIONAL, read_card_number), name_mn],  # card_number: the gacha number on cards
        "teams": [("code", REQUIRED, cells.code), ("name", REQUIRED, cells.text),
                  ("place_code", REQUIRED, partial(cells.code, limit=20)),
                  ("base_lat", OPTIONAL, cells.latitude), ("base_lon", OPTIONAL, cells.longitude), name_mn],
        "members": [("phone", REQUIRED, phone), ("name", REQUIRED, cells.text),
                    ("team_code", REQUIRED, cells.code),
                    ("role", REQUIRED, partial(cells.choice, allowed=[v.value for v in MemberRole])), language,
                    ("kind", OPTIONAL, partial(cells.choice, allowed=[v.value for v in MemberKind])), sms_language],
        "leaders": [("phone", REQUIRED, phone), ("name", REQUIRED, cells.text),
                    ("place_code", REQUIRED, partial(cells.code, limit=20)),
                    ("role", REQUIRED, partial(cells.choice, allowed=[v.value for v in LeaderRole])), language,
                    sms_language],
        "vehicles": [("plate", REQUIRED, cells.plate), ("team_code", REQUIRED, cells.code),
                     ("kind", OPTIONAL, partial(cells.text, limit=40)), ("seats", REQUIRED, cells.positive_int)],
        "shifts": [("team_code", REQUIRED, cells.code), ("starts_at", REQUIRED, partial(cells.moment, zone=zone)),
                   ("ends_at", REQUIRED, partial(cells.moment, zone=zone)),
                   ("vehicle_plate", OPTIONAL, cells.plate), ("lead_phone", OPTIONAL, phone),
                   ("member_phones", OPTIONAL, partial(cells.phones, region=region))],  # who is on the shift
        "households": [("ref", REQUIRED, cells.code), ("head_name", REQUIRED, cells.text),
                       ("phones", OPTIONAL, partial(cells.phones, region=region)),
                       ("place_code", REQUIRED, partial(cells.code, limit=20)),
                       ("lat", OPTIONAL, cells.latitude), ("lon", OPTIONAL, cells.longitude), language,
                       ("needs", OPTIONAL, read_needs),
                       ("risk", OPTIONAL, partial(cells.choice, allowed=[v.value for v in Risk])),
                       ("contact_phone", OPTIONAL, phone), ("contact_name", OPTIONAL, cells.text), sms_language],
    }


NEED_WORDS = {"独居": "elderly_alone", "空巢": "elderly_alone", "残疾": "disabled", "孕妇": "pregnant",
              "孕产妇": "pregnant", "重病": "seriously_ill", "大病": "seriously_ill", "困境儿童": "child_in_difficulty",
              "未接种": "unvaccinated_60"}


def read_needs(raw) -> str:
    """The needs as 'elderly_alone;disabled', in the order given, each checked."""
    found = []
    for part in cells.split_list(raw):
        word = NEED_WORDS.get(part, part)
        need = cells.choice(word, NEEDS)
        if need not in found:
            found.append(need)
    return ";".join(found)


@dataclass
class Row:
    """One spreadsheet row: its number and the clean values of the columns the sheet has (None: empty)."""

    number: int
    values: dict = field(default_factory=dict)
    bad: bool = False
    failed: set = field(default_factory=set)  # columns whose cell is already reported

    def __getitem__(self, column):
        return self.values.get(column)

    def has(self, column) -> bool:
        """Whether the sheet has this column (an empty cell counts); an absent column leaves stored values alone."""
        return column in self.values


class Errors:
    """Error lines, kept sortable so the leader reads them top to bottom, sheet by sheet."""

    def __init__(self, specs):
        self.items: list[tuple] = []
        self.order = {name: [c[0] for c in spec] for name, spec in specs.items()}

    def add(self, sheet: Sheet, row: int, column: str, reason: str) -> None:
        """Add one error line, sorted by sheet, row and column (columns outside the sheet's spec last)."""
        position = self.order[sheet.name].index(column) if column in self.order[sheet.name] else 99
        self.items.append((SHEETS.index(sheet.name), row, position, f"{sheet.label}, row {row}, {column}: {reason}"))

    def lines(self) -> list[str]:
        """The error lines in reading order: sheet by sheet, row by row, column by column."""
        return [item[-1] for item in sorted(self.items)]

    def __bool__(self) -> bool:
        return bool(self.items)


def read_rows(sheet: Sheet, spec, errors: Errors) -> list[Row]:
    """Every row of `sheet` read cell by cell; missing columns and bad cells go to `errors`."""
    check_header(sheet, spec, errors)
    return list(iter_rows(sheet, spec, errors))


def check_header(sheet: Sheet, spec, errors: Errors) -> None:
    """Columns given twice, and required columns missing from the header row, go to `errors`."""
    for column, reason in sheet.problems:
        errors.add(sheet, sheet.header_row, column, reason)
    for column, required, _ in spec:
        if required and column not in sheet.columns:
            errors.add(sheet, sheet.header_row, column, "the column is missing from the header row")


def iter_rows(sheet: Sheet, spec, errors: Errors):
    """The rows of `sheet` read cell by cell, one at a time as the file is read; bad cells go to `errors`."""
    for number, raw_cells in sheet.rows:
        row = Row(number)
        for column, required, reader in spec:
            if column not in sheet.columns:
                continue
            raw = sheet.cell(raw_cells, column)
            if cells.clean(raw) == "":
                row.values[column] = None
                if required:
                    row.bad = True
                    errors.add(sheet, number, column, "is empty; a value is required")
                continue
            try:
                row.values[column] = reader(raw)
            except CellError as exc:
                row.bad = True
                row.failed.add(column)
                errors.add(sheet, number, column, str(exc))
        yield row


def key_of(sheet_name: str, row: Row):
    """A row's key for upserting: the first column, or (team_code, starts_at) for a shift."""
    if sheet_name == "shifts":
        return (row["team_code"], row["starts_at"]) if row["team_code"] and row["starts_at"] else None
    first = {"places": "code", "teams": "code", "members": "phone", "leaders": "phone", "vehicles": "plate",
             "households": "ref"}[sheet_name]
    return row[first]


def find_duplicates(sheet: Sheet, rows, errors: Errors, zone: ZoneInfo, seen: dict | None = None) -> None:
    """A key given twice in one sheet is an error at the second row, naming the first (`seen`: the keys met so
    far, key -> row number, when the sheet is checked a row at a time)."""
    seen = {} if seen is None else seen
    for row in rows:
        key = key_of(sheet.name, row)
        if key is None:
            continue
        if key in seen:
            row.bad = True
            if sheet.name == "shifts":
                local = key[1].astimezone(zone).strftime("%Y-%m-%d %H:%M")
                errors.add(sheet, row.number, "starts_at",
                           f"team {key[0]!r} already has a shift starting {local} (row {seen[key]})")
            else:
                column = {"members": "phone", "leaders": "phone", "vehicles": "plate", "households": "ref"}
                errors.add(sheet, row.number, column.get(sheet.name, "code"),
                           f"{key!r} appears twice (also row {seen[key]})")
        else:
            seen[key] = row.number
