"""Gacha card numbers: the short number printed on a household's contact card, keyed on the voice line.

A leader may give them in the places sheet (optional column `card_number`); every gacha and community still
without one is numbered on import, per township: the township's hundred, then a running number (101, 102, …
for the first township; 201, … for the next). A slip of the last digit then lands in the same township.
A number once given never changes by itself.
"""
from itertools import count

from sqlalchemy import select

from models import Place, PlaceKind

from .cells import CellError, clean

NUMBERED = (PlaceKind.gacha, PlaceKind.community)
MAX_DIGITS = 6


def read_card_number(raw) -> str:
    """A card number: 1 to 6 digits, no leading zero (a caller keys what is printed)."""
    value = clean(raw)
    if not value.isdigit() or len(value) > MAX_DIGITS or value.startswith("0"):
        raise CellError(f"{value!r} is not a card number: 1 to {MAX_DIGITS} digits, not starting with 0")
    return value


def check_card_numbers(session, sheet, rows, errors) -> None:
    """Two places may not share a number: not two rows of the file, nor a row and another place already stored."""
    stored = dict(session.execute(select(Place.short_number, Place.code).where(Place.short_number.is_not(None))).all())
    renumbered = {row["code"]: row["card_number"] for row in rows if row["code"] and row.has("card_number")}
    seen: dict[str, int] = {}
    for row in rows:
        number = row["card_number"]
        if not number:
            continue
        if number in seen:
            row.bad = True
            errors.add(sheet, row.number, "card_number", f"{number!r} appears twice (also row {seen[number]})")
            continue
        seen[number] = row.number
        owner = stored.get(number)
        if owner and owner != row["code"] and renumbered.get(owner, number) == number:
            row.bad = True
            errors.add(sheet, row.number, "card_number", f"{number!r} is already the card number of place {owner!r}")


def assign_short_numbers(session) -> list[Place]:
    """Number every gacha and community that has no card number yet; returns the places numbered."""
    places = list(session.scalars(select(Place).order_by(Place.code)))
    taken = {p.short_number for p in places if p.short_number}
    hundreds: dict = {}  # township id -> the hundreds its places use
    for place in places:
        if place.short_number and len(place.short_number) >= 3:
            hundreds.setdefault(_township(place), set()).add(int(place.short_number) // 100)
    used = set().union(*hundreds.values()) if hundreds else set()
    numbered = []
    for place in places:
        if place.short_number or place.kind not in NUMBERED:
            continue
        township = _township(place)
        number = next((n for h in sorted(hundreds.get(township, ())) if (n := _free(h, taken))), None)
        if number is None:
            hundred = next(h for h in count(1) if h not in used)
            used.add(hundred)
            hundreds.setdefault(township, set()).add(hundred)
            number = _free(hundred, taken)
        place.short_number = number
        taken.add(number)
        numbered.append(place)
    return numbered


def _township(place: Place):
    return next((p.id for p in place.lineage() if p.kind == PlaceKind.township), None)


def _free(hundred: int, taken: set) -> str | None:
    return next((str(hundred * 100 + n) for n in range(1, 100) if str(hundred * 100 + n) not in taken), None)
