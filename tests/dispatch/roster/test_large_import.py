"""A large roster, as an operator imports it: the households streamed past in chunks (a progress bar while they
are written), every one stored with its phones; one bad row among thousands still writes nothing."""
import csv

from sqlalchemy import func, select

from bench.league import write_league
from dispatch.roster import write
from models import Household, HouseholdPhone, Place, db

HOUSEHOLDS = 4500  # more than the size that shows a bar


def test_a_large_roster_imports_in_chunks_with_a_progress_bar(app, runner, tmp_path, monkeypatch):
    monkeypatch.setattr(write, "WRITE_CHUNK", 2000)  # three chunks here, as a league has at its own size
    folder = tmp_path / "league"
    write_league(folder, teams=30, members=60, households=HOUSEHOLDS)
    result = runner.invoke(args=["import-roster", str(folder)])
    assert result.exit_code == 0, result.output
    # click's bar (off a terminal it shows its label only), not a line every 500 rows
    assert result.stderr.split() == ["households"] and "500/" not in result.stderr
    assert f"households: {HOUSEHOLDS} created, 0 updated, 0 unchanged" in result.stdout
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Household)) == HOUSEHOLDS
        # every fourth household has two phones (bench/league.py)
        assert db.session.scalar(select(func.count()).select_from(HouseholdPhone)) == HOUSEHOLDS + HOUSEHOLDS // 4
        last = db.session.scalar(select(Household).where(Household.ref == f"H{HOUSEHOLDS - 1:06d}"))
        assert last.phones[0].phone == f"+86150{HOUSEHOLDS - 1:08d}" and last.place.code.startswith("G")
    again = runner.invoke(args=["import-roster", str(folder)])
    assert again.exit_code == 0 and f"households: 0 created, 0 updated, {HOUSEHOLDS} unchanged" in again.stdout


def test_one_bad_household_deep_in_a_large_sheet_writes_nothing(app, runner, tmp_path):
    folder = tmp_path / "league"
    write_league(folder, teams=30, members=60, households=HOUSEHOLDS)
    path = folder / "households.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[4000][3] = "NOWHERE"  # the place code of the row a leader sees as row 4001
    rows.append(rows[10])  # and a ref given twice, at the very end
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    result = runner.invoke(args=["import-roster", str(folder)])
    assert result.exit_code == 1
    assert "households.csv, row 4001, place_code: unknown place code 'NOWHERE'" in result.stderr
    assert f"households.csv, row {HOUSEHOLDS + 2}, ref: 'H000009' appears twice (also row 11)" in result.stderr
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Place)) == 0
