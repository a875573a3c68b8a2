"""Gacha card numbers (keyed by unknown callers on the voice line): given in the places sheet, or numbered on import."""
import pytest
from sqlalchemy import select

from dispatch.roster import DEMO_ROSTER, RosterError, import_roster
from models import Place, PlaceKind, db
from tests.dispatch.roster.test_roster_import import write_csvs

PLACES = [["code", "name", "kind", "parent_code", "lat", "lon"],
          ["150623103", "昂素镇", "township", "", "38.0", "107.9"],
          ["150623103201", "哈日根图嘎查", "gacha", "150623103", "38.1", "108.0"],
          ["150623103202", "巴音布拉格嘎查", "gacha", "150623103", "38.2", "108.0"],
          ["150623102", "城川镇", "township", "", "38.0", "107.6"],
          ["150623102200", "城川社区", "community", "150623102", "38.0", "107.6"]]


def run_import(tmp_path, places, name="roster"):
    return import_roster(write_csvs(tmp_path / name, {"places": places}), db.session, region="CN",
                         timezone="Asia/Shanghai")


def numbers():
    return dict(db.session.execute(select(Place.name, Place.short_number)).all())


def test_every_gacha_and_community_is_numbered_per_township_and_keeps_its_number(ctx, tmp_path):
    run_import(tmp_path, PLACES)
    assert numbers() == {"昂素镇": None, "城川镇": None, "城川社区": "101", "哈日根图嘎查": "201", "巴音布拉格嘎查": "202"}
    run_import(tmp_path, PLACES + [["150623103203", "新嘎查", "gacha", "150623103", "", ""]], name="again")
    assert numbers()["新嘎查"] == "203" and numbers()["哈日根图嘎查"] == "201"  # the cards already printed stay right


def test_a_card_number_in_the_places_sheet_is_used(ctx, tmp_path):
    places = [row + [""] for row in PLACES]
    places[0][-1] = "card_number"
    places[2][-1] = "7"
    run_import(tmp_path, places)
    assert numbers()["哈日根图嘎查"] == "7" and numbers()["巴音布拉格嘎查"] == "201"


@pytest.mark.parametrize("card, reason", [("07", "not a card number"), ("12a", "not a card number"),
                                          ("1234567", "not a card number")])
def test_a_bad_card_number_is_an_error_line(ctx, tmp_path, card, reason):
    places = [row + [""] for row in PLACES]
    places[0][-1], places[2][-1] = "card_number", card
    with pytest.raises(RosterError) as error:
        run_import(tmp_path, places)
    assert error.value.errors[0].startswith("places.csv, row 3, card_number:") and reason in error.value.errors[0]


def test_a_card_number_given_twice_or_already_taken_is_refused(ctx, tmp_path):
    places = [row + [""] for row in PLACES]
    places[0][-1], places[2][-1], places[3][-1] = "card_number", "55", "55"
    with pytest.raises(RosterError) as error:
        run_import(tmp_path, places)
    assert error.value.errors == ["places.csv, row 4, card_number: '55' appears twice (also row 3)"]
    run_import(tmp_path, PLACES, name="plain")
    taken = [PLACES[0] + ["card_number"], PLACES[3] + ["201"]]  # 哈日根图嘎查 already has 201
    with pytest.raises(RosterError) as error:
        run_import(tmp_path, taken, name="clash")
    assert "'201' is already the card number of place '150623103201'" in error.value.errors[0]


def test_the_demo_roster_numbers_every_gacha(ctx):
    import_roster(DEMO_ROSTER, db.session, region="CN", timezone="Asia/Shanghai")
    unnumbered = db.session.scalars(select(Place).where(Place.kind != PlaceKind.township,
                                                        Place.short_number.is_(None))).all()
    assert unnumbered == [] and db.session.scalar(select(Place.short_number).where(Place.name == "哈日根图嘎查"))
