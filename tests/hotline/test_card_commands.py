"""`flask contact-cards PLACE_CODE OUT.pdf` as an operator types it: the PDF written and recorded, one clear line
(never a traceback) for a bad code; and `flask export-ledgers` recorded in the access record too."""
import io

import pypdf
import pytest
from sqlalchemy import select

from models import AccessRecord, db
from tests.dispatch.register.conftest import build_card_town


@pytest.fixture
def card_town(make):
    return build_card_town(make)


def test_contact_cards_of_a_gacha_are_written_and_recorded(card_town, runner, tmp_path):
    out = tmp_path / "cards.pdf"
    result = runner.invoke(args=["contact-cards", card_town.north.code, str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Wrote 9 contact cards of 哈日根图嘎查 on 2 pages into {out}."
    pdf = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    assert len(pdf.pages) == 2 and "远队户" in "".join(page.extract_text() for page in pdf.pages)
    [row] = db.session.scalars(select(AccessRecord))
    assert (row.what, row.place_id, row.leader_id, row.actor) == ("contact_cards", card_town.north.id, None, "命令行")


def test_a_townships_code_covers_its_gachas(card_town, runner, tmp_path):
    result = runner.invoke(args=["contact-cards", card_town.township.code, str(tmp_path / "all.pdf")])
    assert result.exit_code == 0 and "Wrote 10 contact cards of 昂素镇 on 2 pages" in result.output


@pytest.mark.parametrize("code, says, status", [
    ("nowhere", "No place has the code 'nowhere'; the codes are the first column of the roster's places.", 2),
    ("  ", "PLACE_CODE is empty; give a gacha's or township's code from the roster's places.", 2),
])
def test_a_bad_code_gets_one_clear_line_and_no_file(card_town, runner, tmp_path, code, says, status):
    out = tmp_path / "cards.pdf"
    result = runner.invoke(args=["contact-cards", code, str(out)])
    assert result.exit_code == status
    assert result.output.strip() == says and "Traceback" not in result.output
    assert not out.exists() and db.session.scalar(select(AccessRecord)) is None


def test_a_place_without_households_says_so(make, runner, tmp_path):
    empty = make.gacha(name="空嘎查")
    db.session.commit()
    result = runner.invoke(args=["contact-cards", empty.code, str(tmp_path / "cards.pdf")])
    assert result.exit_code == 1
    assert result.output.strip() == f"空嘎查 ({empty.code}) has no households in the roster: no cards were written."


def test_an_unwritable_file_gets_a_sentence(card_town, runner, tmp_path):
    result = runner.invoke(args=["contact-cards", card_town.north.code, str(tmp_path / "missing" / "cards.pdf")])
    assert result.exit_code == 1 and result.output.startswith("Cannot write ") and "Traceback" not in result.output
    assert db.session.scalar(select(AccessRecord)) is None


def test_export_ledgers_is_recorded(card_town, runner, tmp_path):
    result = runner.invoke(args=["export-ledgers", str(tmp_path / "out"), "--place", card_town.south.code])
    assert result.exit_code == 0, result.output
    [row] = db.session.scalars(select(AccessRecord))
    assert (row.what, row.place_id, row.actor) == ("ledgers:all", card_town.south.id, "命令行")
    assert runner.invoke(args=["export-ledgers", str(tmp_path / "all")]).exit_code == 0
    assert db.session.scalars(select(AccessRecord.place_id).order_by(AccessRecord.id)).all() == [card_town.south.id,
                                                                                                None]
