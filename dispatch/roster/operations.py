"""Importing a roster: read, check every row, then write it all or nothing."""
import gc
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .check import Errors, Row, check_header, columns, find_duplicates, iter_rows, read_rows
from .numbers import check_card_numbers
from .references import CHECKERS, Known, check_references
from .results import SHEETS, ImportSummary, RosterError
from .sources import open_roster
from .write import Writer

# Sheets too large to check as a whole: checked a row at a time as the file is read, only their clean values kept.
STREAMED = ("households",)
FREEZE_EVERY = 5000  # checked rows kept between two moves out of the cyclic collector's sight


def import_roster(path, session, *, region: str, timezone, progress=None,
                  first_shift_at: datetime | None = None) -> ImportSummary:
    """Check the roster at `path` (.xlsx or CSV folder) and upsert it into `session`; flush, never commit.

    Raises RosterError with every error line, having written nothing, when any row is wrong.
    `progress(sheet, done, total)` is called every few hundred rows while writing.
    `first_shift_at` moves every shift by one offset so the earliest starts then (the demo's relative shifts).
    """
    # The checked rows (100,000 households' worth) live to the end: the cyclic collector's automatic passes
    # walked them again and again, which more than doubled a league's import. They are frozen out of its sight
    # as they accumulate, and while writing it runs once per chunk (write.py), which is all the garbage there is.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _import(path, session, region, timezone, progress, first_shift_at)
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _import(path, session, region, timezone, progress, first_shift_at) -> ImportSummary:
    zone = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(str(timezone))
    with open_roster(Path(path)) as sheets:  # each file opened once; closed once every row is checked
        rows = _checked_rows(sheets, session, region, zone)
    rows = {name: sheet_rows for name, sheet_rows in rows.items() if sheet_rows}
    if first_shift_at is not None and rows.get("shifts"):
        move_shifts(rows["shifts"], first_shift_at)
    summary = ImportSummary()
    for name in rows:
        summary.count(name)
    gc.freeze()
    Writer(session, summary, progress).write(rows)
    return summary


def _checked_rows(sheets, session, region, zone) -> dict[str, list[Row]]:
    """Every sheet's rows, checked on their own, against each other and against the database, by sheet name.

    Raises RosterError with every error line when any row is wrong."""
    specs = columns(region, zone)
    errors = Errors(specs)
    rows = {}
    for name in SHEETS:
        if name in sheets and name not in STREAMED:
            rows[name] = read_rows(sheets[name], specs[name], errors)
            find_duplicates(sheets[name], rows[name], errors, zone)
    with session.no_autoflush:
        known = Known.from_database(session)
        known.add_file(rows)
        check_references(sheets, rows, known, errors)
        if rows.get("places"):
            check_card_numbers(session, sheets["places"], rows["places"], errors)
        for name in STREAMED:  # added after check_references, which would check them twice: checked as read
            if name in sheets:
                rows[name] = _check_streamed(sheets[name], specs[name], known, errors, zone)
    if errors:
        raise RosterError(errors.lines())
    return rows


def _check_streamed(sheet, spec, known, errors, zone) -> list[Row]:
    """Check a large sheet a row at a time as it is read: its raw cells pass, only the clean values stay (reading
    the file twice instead parsed every phone twice, and cost a third of the import's time)."""
    check_header(sheet, spec, errors)
    seen, kept = {}, []
    for row in iter_rows(sheet, spec, errors):
        find_duplicates(sheet, [row], errors, zone, seen)
        CHECKERS[sheet.name](sheet, row, known, errors)
        kept.append(row)
        if len(kept) % FREEZE_EVERY == 0:
            gc.collect()  # what reading the rows so far left in cycles, then the kept rows out of sight
            gc.freeze()
    return kept


def move_shifts(rows, first_shift_at: datetime) -> None:
    """Shift every row's times by the one offset that makes the earliest start at `first_shift_at`."""
    offset = first_shift_at - min(row["starts_at"] for row in rows)
    for row in rows:
        row.values["starts_at"] += offset
        row.values["ends_at"] += offset
