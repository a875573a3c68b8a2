"""Reading the roster's sheets from an .xlsx workbook or a folder of CSV files, as raw cells with row numbers."""
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from .cells import clean
from .results import SHEETS, RosterError


@dataclass
class Sheet:
    """One sheet's non-empty rows, each with the row number a person sees (the header is row 1)."""

    name: str  # canonical: "members"
    label: str  # as the leader knows it: "members.csv", or the workbook's sheet title
    columns: dict[str, int] = field(default_factory=dict)  # normalised header -> index
    header_row: int = 1
    rows: list[tuple[int, tuple]] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, reason) found in the header

    def cell(self, cells: tuple, column: str):
        """The raw cell of `column` in one row's `cells`; None when the sheet lacks the column or the row is short."""
        index = self.columns.get(column)
        return cells[index] if index is not None and index < len(cells) else None


def read_roster(path: Path) -> dict[str, Sheet]:
    """The sheets found at `path` (an .xlsx workbook or a folder of CSV files), by canonical name."""
    path = Path(path)
    if not path.exists():
        raise RosterError([f"{path}: no such file or folder"])
    if path.is_dir():
        sheets = _read_folder(path)
        wanted = "CSV files named " + ", ".join(f"{name}.csv" for name in SHEETS)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = _read_workbook(path)
        wanted = "sheets named " + ", ".join(SHEETS)
    elif path.suffix.lower() == ".xls":
        raise RosterError([f"{path}: this is an old .xls workbook; open it in Excel and save it as .xlsx"])
    elif path.suffix.lower() == ".csv":
        raise RosterError([f"{path}: give the folder that holds the CSV files, not one file"])
    else:
        raise RosterError([f"{path}: neither an .xlsx workbook nor a folder of CSV files"])
    if not sheets:
        raise RosterError([f"{path}: found no roster in it; expected {wanted}"])
    return sheets


def header_name(raw) -> str:
    """'Team Code', ' team_code ', 'role (captain|member)' all read as 'team_code' / 'role'."""
    value = re.split(r"[(（]", clean(raw))[0].strip().lower()
    return re.sub(r"[\s\-]+", "_", value).strip("_")


def _read_workbook(path: Path) -> dict[str, Sheet]:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or mislabelled file
        raise RosterError([f"{path.name}: cannot be read as an .xlsx workbook ({exc})"]) from None
    try:
        sheets = {}
        for worksheet in book.worksheets:
            name = header_name(worksheet.title)
            if name in SHEETS and name not in sheets:
                worksheet.reset_dimensions()  # some writers store a wrong size; read what is there
                # read-only sheets pad skipped rows with empty ones, so the position is the row number
                sheets[name] = _sheet(name, worksheet.title, enumerate(worksheet.iter_rows(values_only=True), 1))
        return sheets
    finally:
        book.close()


def _read_folder(folder: Path) -> dict[str, Sheet]:
    sheets = {}
    for file in sorted(folder.iterdir()):
        name = header_name(file.stem)
        if file.suffix.lower() != ".csv" or name not in SHEETS or name in sheets:
            continue
        reader = csv.reader(io.StringIO(_decode(file), newline=""))
        sheets[name] = _sheet(name, file.name, ((n, tuple(r)) for n, r in enumerate(reader, 1)))
    return sheets


def _decode(file: Path) -> str:
    data = file.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel's "CSV" on a Chinese Windows writes GBK; read it rather than turn the leader away.
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise RosterError([f"{file.name}: not UTF-8 text; save it as 'CSV UTF-8'"]) from None


def _sheet(name: str, label: str, numbered_rows) -> Sheet:
    sheet = Sheet(name=name, label=label)
    header_seen = False
    for number, cells in numbered_rows:
        if all(clean(value) == "" for value in cells):
            continue  # blank rows: trailing ones Excel keeps, or spacing a leader left
        if not header_seen:
            header_seen = True
            sheet.header_row = number
            for index, raw in enumerate(cells):
                column = header_name(raw)
                if not column:
                    continue
                if column in sheet.columns:
                    sheet.problems.append((column, "the column appears twice in the header"))
                else:
                    sheet.columns[column] = index
            continue
        sheet.rows.append((number, cells))
    return sheet
