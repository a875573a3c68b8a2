"""What an import hands back: the errors a leader must fix, or how many rows were created and updated."""
from dataclasses import dataclass, field

SHEETS = ("places", "teams", "members", "leaders", "vehicles", "shifts", "households")


class RosterError(Exception):
    """The roster has errors; `errors` holds every line as 'file/sheet, row, column: reason'. Nothing was written."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        shown = "\n".join(self.errors[:5])
        more = f"\n... and {len(self.errors) - 5} more" if len(self.errors) > 5 else ""
        super().__init__(f"{len(self.errors)} error(s) in the roster:\n{shown}{more}")


@dataclass
class SheetCount:
    """How many rows of one sheet an import created, updated and left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        """Every row of the sheet the import handled: created, updated and unchanged together."""
        return self.created + self.updated + self.unchanged


@dataclass
class ImportSummary:
    """Rows created, updated and left unchanged per sheet, for the sheets the file held."""

    sheets: dict[str, SheetCount] = field(default_factory=dict)

    def count(self, sheet: str) -> SheetCount:
        """The counts for `sheet`, started at zero when first asked for, so a sheet with no changes is still listed."""
        return self.sheets.setdefault(sheet, SheetCount())

    def lines(self) -> list[str]:
        """One line per sheet, in import order, for the command line."""
        return [f"{name}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
                for name in SHEETS if (c := self.sheets.get(name)) is not None]

    def __str__(self) -> str:
        return "\n".join(self.lines())
