"""Writing one ledger as an .xlsx workbook: a title row naming the place and range, one header row of Chinese
column names (frozen, so it stays in view), then the rows; widths per column, dates as real dates.

Workbooks are written in openpyxl's write-only mode, which streams rows instead of holding every cell: a banner's
activity record runs to a hundred thousand rows.
"""
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "yyyy-mm-dd hh:mm"
TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    """One column of a ledger: its Chinese header and its width in characters (a Chinese character counts two)."""

    header: str
    width: int


@dataclass
class Sheet:
    """One sheet: its tab name, columns, and rows of plain values (str, int, date, local naive datetime, None)."""

    name: str
    columns: list[Column]
    rows: list = field(default_factory=list)


def workbook_bytes(title: str, sheets: list[Sheet]) -> bytes:
    """The workbook with every sheet under the same title row, as the bytes of an .xlsx file."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        _write(book.create_sheet(sheet.name), title, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write(ws, title: str, sheet: Sheet) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A3"  # the title and the header stay in view
    ws.append([_cell(ws, title, font=TITLE_FONT)])
    ws.append([_cell(ws, column.header, font=HEADER_FONT) for column in sheet.columns])
    for row in sheet.rows:
        ws.append([_value(ws, value) for value in row])


def _value(ws, value):
    if isinstance(value, datetime):
        return _cell(ws, value, number_format=TIME_FORMAT)
    if isinstance(value, date):
        return _cell(ws, value, number_format=DATE_FORMAT)
    if isinstance(value, str) and "\n" in value:
        return _cell(ws, value, alignment=WRAP)
    return value


def _cell(ws, value, font=None, number_format=None, alignment=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    if alignment is not None:
        cell.alignment = alignment
    return cell

