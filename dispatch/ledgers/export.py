"""The notice's five attachments, by name: build one as .xlsx bytes, or write all five into a folder."""
from pathlib import Path

from . import activity, problems, register, roster
from .period import Period
from .sheet import workbook_bytes

# slug (for URLs) -> (title, which is also the file's name, the function that makes its sheets), in notice order.
LEDGERS = {
    "teams": ("团队统计表", roster.team_sheets),
    "households": ("困难群体统计表", register.household_sheets),
    "activities": ("活动记录表", activity.activity_sheets),
    "requests": ("解决群众困难台账", problems.problem_sheets),
    "shifts": ("应急值班安排表", roster.shift_sheets),
}


def file_name(slug: str) -> str:
    """'团队统计表.xlsx'."""
    return f"{LEDGERS[slug][0]}.xlsx"


def title_row(slug: str, place_name: str, period: Period) -> str:
    """'昂素镇 团队统计表（2026-03-01至2026-03-31）': the first row of every sheet."""
    return f"{place_name} {LEDGERS[slug][0]}（{period.label()}）"


def ledger_bytes(session, slug: str, scope, period: Period, place_name: str) -> bytes:
    """One ledger of the scope and period, as the bytes of an .xlsx file."""
    title, sheets = LEDGERS[slug]
    return workbook_bytes(title_row(slug, place_name, period), sheets(session, scope, period))


def write_ledgers(session, out_dir: Path, scope, period: Period, place_name: str) -> list[Path]:
    """Write the five workbooks into `out_dir` (made if missing), named by their titles; the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for slug in LEDGERS:
        path = out_dir / file_name(slug)
        path.write_bytes(ledger_bytes(session, slug, scope, period, place_name))
        written.append(path)
    return written
