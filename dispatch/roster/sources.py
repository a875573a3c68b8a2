"""Finding the roster's sheets in an .xlsx workbook or a folder of CSV files: each sheet's header (its columns, and
a column given twice), and its non-empty rows as raw cells with the row numbers a person sees, read from the file
each time they are iterated. A workbook is opened once and held open until `open_roster`'s block ends, then
closed; a CSV file is opened for each pass over it.
"""
import codecs
import csv
import re
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from .cells import clean
from .results import SHEETS, RosterError


@dataclass
class Sheet:
    """One sheet's header, and its non-empty rows, each with the row number a person sees (the header is row 1).

    The rows are read from the file each time they are iterated, never kept here: the header is found on one pass
    and the rows checked on the next, so a league's 100,000 households pass through as raw cells one at a time
    (operations.py keeps only their checked values)."""

    name: str  # canonical: "members"
    label: str  # as the leader knows it: "members.csv", or the workbook's sheet title
    columns: dict[str, int] = field(default_factory=dict)  # normalised header -> index
    header_row: int = 1
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, reason) found in the header
    numbered_rows: object = None  # a callable returning a fresh iterator of (number, cells) over the file

    @property
    def rows(self):
        """The data rows below the header, as (row number, cells), read afresh from the file."""
        for number, cells in self.numbered_rows():
            if number > self.header_row and not all(clean(value) == "" for value in cells):
                yield number, cells

    def cell(self, cells: tuple, column: str):
        """The raw cell of `column` in one row's `cells`; None when the sheet lacks the column or the row is short."""
        index = self.columns.get(column)
        return cells[index] if index is not None and index < len(cells) else None


@contextmanager
def open_roster(path: Path) -> Iterator[dict[str, Sheet]]:
    """The sheets found at `path` (an .xlsx workbook or a folder of CSV files), by canonical name, readable until
    the block ends; a workbook is held open for the block (a read-only one keeps its zip open) and closed after."""
    path = Path(path)
    if not path.exists():
        raise RosterError([f"{path}: no such file or folder"])
    with ExitStack() as open_files:
        if path.is_dir():
            sheets = _read_folder(path)
            wanted = "CSV files named " + ", ".join(f"{name}.csv" for name in SHEETS)
        elif path.suffix.lower() in (".xlsx", ".xlsm"):
            sheets = _read_workbook(open_files.enter_context(closing(_open_workbook(path))))
            wanted = "sheets named " + ", ".join(SHEETS)
        elif path.suffix.lower() == ".xls":
            raise RosterError([f"{path}: this is an old .xls workbook; open it in Excel and save it as .xlsx"])
        elif path.suffix.lower() == ".csv":
            raise RosterError([f"{path}: give the folder that holds the CSV files, not one file"])
        else:
            raise RosterError([f"{path}: neither an .xlsx workbook nor a folder of CSV files"])
        if not sheets:
            raise RosterError([f"{path}: found no roster in it; expected {wanted}"])
        yield sheets


def header_name(raw) -> str:
    """'Team Code', ' team_code ', 'role (captain|member)' all read as 'team_code' / 'role'."""
    value = re.split(r"[(（]", clean(raw))[0].strip().lower()
    return re.sub(r"[\s\-]+", "_", value).strip("_")


def _open_workbook(path: Path):
    """The workbook at `path`, read-only: its sheets are streamed from the file, never loaded whole."""
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or mislabelled file
        raise RosterError([f"{path.name}: cannot be read as an .xlsx workbook ({exc})"]) from None


def _read_workbook(book) -> dict[str, Sheet]:
    sheets = {}
    for worksheet in book.worksheets:
        name = header_name(worksheet.title)
        if name in SHEETS and name not in sheets:
            sheets[name] = _sheet(name, worksheet.title, _worksheet_rows(worksheet))
    return sheets


def _worksheet_rows(worksheet):
    """A callable that yields the sheet's numbered rows; each call parses the sheet afresh from the open workbook's
    zip, so its rows never sit in memory together."""
    worksheet.reset_dimensions()  # some writers store a wrong size; read what is there

    def numbered_rows():
        # read-only sheets pad skipped rows with empty ones, so the position is the row number
        return enumerate(worksheet.iter_rows(values_only=True), 1)

    return numbered_rows


def _read_folder(folder: Path) -> dict[str, Sheet]:
    sheets = {}
    for file in sorted(folder.iterdir()):
        name = header_name(file.stem)
        if file.suffix.lower() != ".csv" or name not in SHEETS or name in sheets:
            continue
        sheets[name] = _sheet(name, file.name, _csv_rows(file, _encoding(file)))
    return sheets


def _csv_rows(file: Path, encoding: str):
    """A callable that reads the CSV file line by line and yields its numbered rows."""
    def numbered_rows():
        with file.open(encoding=encoding, newline="") as text:
            yield from ((n, tuple(r)) for n, r in enumerate(csv.reader(text), 1))

    return numbered_rows


def _encoding(file: Path) -> str:
    """UTF-8 (with or without Excel's BOM), else GBK's superset; checked in pieces, never the whole file at once."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with file.open("rb") as data:
                while chunk := data.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            # Excel's "CSV" on a Chinese Windows writes GBK; read it rather than turn the leader away.
            return encoding
        except UnicodeDecodeError:
            continue
    raise RosterError([f"{file.name}: not UTF-8 text; save it as 'CSV UTF-8'"])


def _sheet(name: str, label: str, numbered_rows) -> Sheet:
    """The sheet's header: the first non-empty row (the rest is read when the rows are iterated)."""
    sheet = Sheet(name=name, label=label, numbered_rows=numbered_rows)
    for number, cells in numbered_rows():
        if all(clean(value) == "" for value in cells):
            continue  # blank rows: trailing ones Excel keeps, or spacing a leader left
        sheet.header_row = number
        for index, raw in enumerate(cells):
            column = header_name(raw)
            if not column:
                continue
            if column in sheet.columns:
                sheet.problems.append((column, "the column appears twice in the header"))
            else:
                sheet.columns[column] = index
        break
    return sheet
