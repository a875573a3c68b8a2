"""Contact cards (便民服务联系卡) as a printable PDF: A4, eight cards a page (2 × 4) with cut lines, each in
Chinese and in Mongolian in the traditional script, written vertically (docs/cards.md)."""
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import true

from models import Household

from . import card_words
from .card_facts import card_facts, households_where

PER_PAGE = 8  # 2 columns × 4 rows on A4
_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def cards_html(facts: list) -> str:
    """The cards as one HTML document, eight to a page."""
    pages = [facts[i:i + PER_PAGE] for i in range(0, len(facts), PER_PAGE)]
    return _templates.get_template("cards.html").render(pages=pages, zh=card_words.ZH, mongolian=mongolian_lines,
                                                        services=card_words.services())


def mongolian_lines(card) -> list[tuple[str, str]]:
    """The card's Mongolian side as (css class, text) lines, first to last; each becomes one vertical column."""
    mn, menu = card_words.MN, card_words.services()

    def person(key):
        found = getattr(card, key)
        return f"{mn[key]}: {found.name} {found.phone}" if found else f"{mn[key]}: {mn['none']}"

    return [("title", mn["title"]), ("", f"{mn['head']}: {card.head_name}"),
            ("", f"{mn['area']}: {card.gacha_mn} {card.township_mn}"),
            *(("", person(key)) for key in ("paired", "captain", "doctor")),
            ("", f"{mn['services']}: {mn['how']}"),
            ("", "  ".join(f"{digit} {name}" for digit, _, name in menu[:3])),
            ("", "  ".join(f"{digit} {name}" for digit, _, name in menu[3:])),
            ("big", f"{mn['hotline']}: {card.duty_number}"),
            ("big", f"{mn['gacha_number']}: {card.gacha_number or mn['none']}")]


def scope_cards(session, scope, duty_number: str, region: str, most: int | None = None) -> tuple[bytes | None, int]:
    """The cards of every household in `scope` as a PDF, and how many households there are; no PDF (None) when
    there are none, or more than `most` (rendering takes about 0.06 s a card: docs/cards.md)."""
    in_scope = true() if scope.everything else Household.place_id.in_(scope.place_ids)
    households = households_where(session, in_scope)
    if not households or (most is not None and len(households) > most):
        return None, len(households)
    return cards_pdf(session, households, duty_number, region), len(households)


def cards_pdf(session, households: list, duty_number: str, region: str) -> bytes:
    """The PDF of one card per household (in the order given)."""
    # Imported here: WeasyPrint loads Pango through cffi, which only the card commands and page need.
    from weasyprint import HTML

    html = cards_html(card_facts(session, households, duty_number, region))
    return HTML(string=html, base_url=str(Path(__file__).parent)).write_pdf()
