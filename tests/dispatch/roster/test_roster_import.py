"""The roster import, as a township leader meets it: the rows stored, or every error line and nothing written."""
import copy
import csv
import os
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from dispatch.roster import DEMO_ROSTER, RosterError, import_roster, sources
from models import DutyShift, Household, HouseholdPhone, Leader, Member, Place, Team, Vehicle, db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MODELS = (Place, Team, Member, Leader, Vehicle, DutyShift, Household, HouseholdPhone)

GOOD = {
    "places": [["code", "name", "kind", "parent_code", "lat", "lon"],
               ["150623103", "昂素镇", "township", "", "38.0", "107.9"],
               ["150623103203", "哈日根图嘎查", "gacha", "150623103", "38.1", "108.0"]],
    "teams": [["code", "name", "place_code", "base_lat", "base_lon"],
              ["T1", "哈日根图第1网格小分队", "150623103203", "38.12", "108.02"],
              ["T2", "哈日根图第2网格小分队", "150623103203", "", ""]],
    "members": [["phone", "name", "team_code", "role", "language"],
                ["13912345678", "巴特尔", "T1", "captain", "mn"],
                ["+86 150 0000 0001", "王建国", "T1", "doctor", "zh"],
                ["139-0000-0003", "乌云其木格", "T2", "captain", "mn"]],
    "leaders": [["phone", "name", "place_code", "role", "language"],
                ["13900000021", "额尔敦", "150623103203", "gacha_secretary", "mn"],
                ["13900000031", "李桂兰", "150623103", "township_leader", "zh"]],
    "vehicles": [["plate", "team_code", "kind", "seats"], ["蒙K12345", "T1", "越野车", "5"]],
    "shifts": [["team_code", "starts_at", "ends_at", "vehicle_plate", "lead_phone"],
               ["T1", "2026-01-10 08:00", "2026-01-10 20:00", "蒙K12345", "13912345678"],
               ["T2", "2026-01-10T08:00:00+08:00", "2026-01-10T20:00:00+08:00", "", ""]],
    "households": [["ref", "head_name", "phones", "place_code", "lat", "lon", "language", "needs", "risk",
                    "contact_phone"],
                   ["H1", "那顺", "13900000101; 13900000102", "150623103203", "38.15", "108.05", "mn",
                    "elderly_alone;unvaccinated_60", "red", "13912345678"],
                   ["H2", "张秀英", "13900000103", "150623103203", "", "", "zh", "", "", ""]],
}


def write_csvs(folder, sheets, bom=False):
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as file:
            csv.writer(file).writerows(rows)
    return folder


def write_xlsx(path, sheets):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def edited(sheet, row, column, value, sheets=GOOD):
    """A copy of `sheets` with one cell changed; `row` is the spreadsheet row (the header is row 1)."""
    changed = copy.deepcopy(sheets)
    header = changed[sheet][0]
    changed[sheet][row - 1][header.index(column)] = value
    return changed


def run(path):
    return import_roster(path, db.session, region="CN", timezone="Asia/Shanghai")


def counts():
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in MODELS}


def test_good_roster_is_stored_with_e164_phones_utc_shifts_and_default_base(ctx, tmp_path):
    summary = run(write_csvs(tmp_path / "roster", GOOD))
    db.session.commit()

    assert summary.lines() == ["places: 2 created, 0 updated, 0 unchanged", "teams: 2 created, 0 updated, 0 unchanged",
                               "members: 3 created, 0 updated, 0 unchanged",
                               "leaders: 2 created, 0 updated, 0 unchanged",
                               "vehicles: 1 created, 0 updated, 0 unchanged",
                               "shifts: 2 created, 0 updated, 0 unchanged",
                               "households: 2 created, 0 updated, 0 unchanged"]
    assert sorted(db.session.scalars(select(Member.phone))) == ["+8613900000003", "+8613912345678", "+8615000000001"]
    gacha = db.session.scalar(select(Place).where(Place.code == "150623103203"))
    assert gacha.parent.name == "昂素镇" and gacha.kind == "gacha"
    t2 = db.session.scalar(select(Team).where(Team.code == "T2"))
    assert (t2.base_lat, t2.base_lon) == (38.1, 108.0)  # empty base: the gacha's point
    shifts = db.session.scalars(select(DutyShift).order_by(DutyShift.team_id)).all()
    assert [s.starts_at for s in shifts] == [datetime(2026, 1, 10, 0, 0, tzinfo=timezone.utc)] * 2
    assert shifts[0].vehicle.plate == "蒙K12345" and shifts[0].lead.name == "巴特尔"
    assert shifts[1].vehicle is None and shifts[1].lead is None
    h1 = db.session.scalar(select(Household).where(Household.ref == "H1"))
    assert sorted(p.phone for p in h1.phones) == ["+8613900000101", "+8613900000102"]
    assert (h1.needs, h1.risk, h1.language, h1.contact_phone) == (
        "elderly_alone;unvaccinated_60", "red", "mn", "+8613912345678")
    h2 = db.session.scalar(select(Household).where(Household.ref == "H2"))
    assert (h2.lat, h2.risk, h2.needs) == (None, None, "")


def test_reimport_updates_a_changed_name_and_duplicates_nothing(ctx, tmp_path):
    run(write_csvs(tmp_path / "first", GOOD))
    db.session.commit()
    before = counts()
    changed = edited("members", 3, "name", "王建华")
    changed = edited("households", 2, "phones", "13900000101;13900000109", sheets=changed)

    summary = run(write_csvs(tmp_path / "second", changed))
    db.session.commit()

    assert summary.sheets["members"].updated == 1 and summary.sheets["members"].unchanged == 2
    assert summary.sheets["households"].updated == 1 and summary.sheets["shifts"].unchanged == 2
    assert sum(c.created for c in summary.sheets.values()) == 0
    assert counts() == before
    assert db.session.scalar(select(Member.name).where(Member.phone == "+8615000000001")) == "王建华"
    h1 = db.session.scalar(select(Household).where(Household.ref == "H1"))
    assert sorted(p.phone for p in h1.phones) == ["+8613900000101", "+8613900000109"]


def test_messy_workbook_imports(ctx, tmp_path):
    messy = {
        "Places ": [[" Code", "NAME", "Kind", "Parent Code", "Lat", "Lon"],
                    [150623103.0, " 昂素镇 ", "Township", None, 38.0, 107.9],
                    [150623103203, "哈日根图嘎查", "GACHA", 150623103.0, "38.1", "108.0"],
                    [None, None, None, None, None, None], [None, None, None, None, None, None]],
        "teams": [["code", "name", "place code", "base_lat", "base_lon"],
                  [" T1 ", "一队", 150623103203.0, 38.12, 108.02]],
        "members": [["Phone", "Name", "Team_Code", "Role (captain|member|doctor|driver)", "Language"],
                    [13912345678.0, "  巴特尔 ", "T1", " Captain ", "MN"],
                    ["１３９ ０００ ００００３", "王建国", "T1", "driver", ""],
                    ["（+86）150-0000-0001", "其其格", "T1", "Member", "zh"]],
        "vehicles": [["plate", "team_code", "kind", "seats"], ["蒙k 12345", "T1", "皮卡", 5.0]],
        "shifts": [["team_code", "starts_at", "ends_at", "vehicle_plate", "lead_phone"],
                   ["T1", datetime(2026, 1, 10, 8, 0), datetime(2026, 1, 10, 20, 0), "蒙K12345", "139 1234 5678"],
                   ["T1", "2026/1/10 20:00", "2026-01-11 08:00", "", "13900000003.0"]],
    }
    summary = run(write_xlsx(tmp_path / "messy.xlsx", messy))
    db.session.commit()

    assert {name: c.created for name, c in summary.sheets.items()} == {
        "places": 2, "teams": 1, "members": 3, "vehicles": 1, "shifts": 2}
    members = dict(db.session.execute(select(Member.phone, Member.name)).all())
    assert members == {"+8613912345678": "巴特尔", "+8613900000003": "王建国", "+8615000000001": "其其格"}
    assert db.session.scalar(select(Member.language).where(Member.name == "王建国")) == "zh"  # empty: default
    assert db.session.scalar(select(Vehicle.plate)) == "蒙K12345"
    assert db.session.scalar(select(Team.code)) == "T1"
    starts = db.session.scalars(select(DutyShift.starts_at).order_by(DutyShift.starts_at)).all()
    assert starts == [datetime(2026, 1, 10, 0, tzinfo=timezone.utc), datetime(2026, 1, 10, 12, tzinfo=timezone.utc)]


def test_csv_with_bom_and_gbk_from_chinese_excel_imports(ctx, tmp_path):
    places = GOOD["places"] + [["", "", "", "", "", ""], [" ", "", "", "", "", ""]]  # Excel's trailing rows
    folder = write_csvs(tmp_path / "bom", {"places": places}, bom=True)
    (folder / "teams.csv").write_bytes("code,name,place_code\nT1,一队,150623103203\n".encode("gbk"))
    summary = run(folder)
    assert summary.sheets["places"].created == 2 and summary.sheets["teams"].created == 1
    assert db.session.scalar(select(Team.name)) == "一队"


BAD = [
    (("members", 3, "phone", "1391234"), "members.csv, row 3, phone: '1391234' is not a valid phone number"),
    (("members", 2, "name", "  "), "members.csv, row 2, name: is empty; a value is required"),
    (("members", 4, "team_code", "T9"),
     "members.csv, row 4, team_code: unknown team code 'T9' (not in teams, nor in the database)"),
    (("members", 2, "role", "boss"), "members.csv, row 2, role: 'boss' is not one of captain, member, doctor, driver"),
    (("leaders", 3, "role", "mayor"),
     "leaders.csv, row 3, role: 'mayor' is not one of gacha_secretary, township_leader, admin, market_regulator"),
    (("leaders", 2, "place_code", "150623999"),
     "leaders.csv, row 2, place_code: unknown place code '150623999' (not in places, nor in the database)"),
    (("teams", 2, "place_code", "999"),
     "teams.csv, row 2, place_code: unknown place code '999' (not in places, nor in the database)"),
    (("places", 3, "parent_code", "150600000"),
     "places.csv, row 3, parent_code: unknown place code '150600000' (not in places, nor in the database)"),
    (("places", 3, "kind", "county"), "places.csv, row 3, kind: 'county' is not one of township, gacha, community"),
    (("places", 2, "lat", "95"), "places.csv, row 2, lat: '95' must be between -90 and 90"),
    (("places", 2, "lon", "-200"), "places.csv, row 2, lon: '-200' must be between -180 and 180"),
    (("households", 2, "lat", "12.5"), "households.csv, row 2, lat: '12.5' is outside the plausible range (18 to 54)"),
    (("households", 2, "lon", "139.5"),
     "households.csv, row 2, lon: '139.5' is outside the plausible range (73 to 135)"),
    (("households", 3, "lat", "38.2"), "households.csv, row 3, lon: is empty but lat is given; fill both or neither"),
    (("households", 2, "needs", "elderly_alone;lonely"),
     "households.csv, row 2, needs: 'lonely' is not one of elderly_alone, disabled, pregnant, seriously_ill, "
     "child_in_difficulty, unvaccinated_60"),
    (("households", 2, "risk", "orange"), "households.csv, row 2, risk: 'orange' is not one of red, yellow, green"),
    (("households", 2, "phones", "13900000101;12345"),
     "households.csv, row 2, phones: '12345' is not a valid phone number"),
    (("households", 3, "ref", "H1"), "households.csv, row 3, ref: 'H1' appears twice (also row 2)"),
    (("members", 4, "phone", "+8613912345678"),
     "members.csv, row 4, phone: '+8613912345678' appears twice (also row 2)"),
    (("vehicles", 2, "seats", "0"), "vehicles.csv, row 2, seats: '0' must be a whole number above 0"),
    (("vehicles", 2, "seats", "2.5"), "vehicles.csv, row 2, seats: '2.5' must be a whole number above 0"),
    (("vehicles", 2, "seats", "five"), "vehicles.csv, row 2, seats: 'five' is not a number"),
    (("shifts", 2, "ends_at", "2026-01-10 07:00"),
     "shifts.csv, row 2, ends_at: is not after starts_at; a shift must end after it starts"),
    (("shifts", 2, "ends_at", "2026-01-10 08:00"),
     "shifts.csv, row 2, ends_at: is not after starts_at; a shift must end after it starts"),
    (("shifts", 2, "starts_at", "10/01/2026 8am"),
     "shifts.csv, row 2, starts_at: '10/01/2026 8am' is not a date and time like 2026-01-10 08:00"),
    (("shifts", 3, "vehicle_plate", "蒙K12345"),
     "shifts.csv, row 3, vehicle_plate: vehicle '蒙K12345' belongs to team 'T1', not 'T2'"),
    (("shifts", 3, "vehicle_plate", "蒙K99999"),
     "shifts.csv, row 3, vehicle_plate: unknown vehicle '蒙K99999' (not in vehicles, nor in the database)"),
    (("shifts", 3, "lead_phone", "13912345678"),
     "shifts.csv, row 3, lead_phone: '+8613912345678' is not a member of team 'T2' (it is in team 'T1')"),
    (("shifts", 3, "lead_phone", "13900000021"),
     "shifts.csv, row 3, lead_phone: '+8613900000021' is not a member of team 'T2'"),
    (("shifts", 3, "team_code", "T1"),
     "shifts.csv, row 3, starts_at: team 'T1' already has a shift starting 2026-01-10 08:00 (row 2)"),
    (("places", 3, "lat", ""), "teams.csv, row 3, base_lat: is empty and place '150623103203' has no lat/lon "
                               "either; give the team's base"),
]


@pytest.mark.parametrize("change, error", BAD, ids=[line.split(":")[0] + " " + c[2] for c, line in BAD])
def test_bad_row_is_reported_with_sheet_row_column_and_nothing_is_written(ctx, tmp_path, change, error):
    sheets = edited(*change)
    if change == ("places", 3, "lat", ""):
        sheets = edited("places", 3, "lon", "", sheets=sheets)
    with pytest.raises(RosterError) as caught:
        run(write_csvs(tmp_path / "roster", sheets))
    assert caught.value.errors == [error]
    assert set(counts().values()) == {0}


def test_every_error_is_collected_in_reading_order(ctx, tmp_path):
    sheets = edited("members", 4, "phone", "1391234")
    sheets = edited("places", 2, "kind", "county", sheets=sheets)
    sheets = edited("members", 2, "role", "", sheets=sheets)
    sheets["members"].append([])  # a blank row between data rows is skipped, numbering keeps counting
    sheets["members"].append(["13900000005", "新人", "T3", "member", "klingon"])
    del sheets["vehicles"][0][3]  # no seats column
    with pytest.raises(RosterError) as caught:
        run(write_xlsx(tmp_path / "roster.xlsx", sheets))
    assert caught.value.errors == [
        "places, row 2, kind: 'county' is not one of township, gacha, community",
        "members, row 2, role: is empty; a value is required",
        "members, row 4, phone: '1391234' is not a valid phone number",
        "members, row 6, team_code: unknown team code 'T3' (not in teams, nor in the database)",
        "members, row 6, language: 'klingon' is not one of mn, mn-Cyrl, zh",
        "vehicles, row 1, seats: the column is missing from the header row",
    ]
    assert set(counts().values()) == {0}


def opened_by_this_process(path) -> int:
    """How many of this process's open files are `path` (Linux's /proc/self/fd)."""
    count = 0
    for descriptor in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{descriptor}") == str(path)
        except OSError:  # the descriptor listing the folder itself, gone once listed
            continue
    return count


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files through Linux's /proc")
def test_a_workbook_is_opened_once_per_import_and_closed_when_it_ends(ctx, tmp_path, monkeypatch):
    opened = []

    def load_and_count(path, **options):
        opened.append(path)
        return load_workbook(path, **options)

    monkeypatch.setattr(sources, "load_workbook", load_and_count)
    good = write_xlsx(tmp_path / "roster.xlsx", GOOD)
    assert run(good).sheets["households"].created == 2
    assert opened == [good] and opened_by_this_process(good) == 0  # not once per sheet and pass

    bad = write_xlsx(tmp_path / "bad.xlsx", edited("households", 3, "place_code", "NOWHERE"))
    with pytest.raises(RosterError) as caught:
        run(bad)
    assert caught.value.errors == [
        "households, row 3, place_code: unknown place code 'NOWHERE' (not in places, nor in the database)"]
    assert opened == [good, bad] and opened_by_this_process(bad) == 0  # closed when the import fails too


def test_missing_sheets_are_skipped_and_references_may_point_into_the_database(ctx, tmp_path):
    run(write_csvs(tmp_path / "places", {"places": GOOD["places"]}))
    db.session.commit()
    summary = run(write_csvs(tmp_path / "teams", {k: GOOD[k] for k in ("teams", "members", "vehicles", "shifts")}))
    db.session.commit()
    assert list(summary.sheets) == ["teams", "members", "vehicles", "shifts"]
    assert counts()["DutyShift"] == 2 and counts()["Place"] == 2

    with pytest.raises(RosterError) as caught:
        leaders = [GOOD["leaders"][0], ["13900000077", "某", "1506", "gacha_secretary", "zh"]]
        run(write_csvs(tmp_path / "more", {"leaders": leaders}))
    assert caught.value.errors == [
        "leaders.csv, row 2, place_code: unknown place code '1506' (not in places, nor in the database)"]


def test_cli_prints_every_error_exits_1_and_writes_nothing(app, runner, tmp_path):
    sheets = edited("members", 3, "phone", "1391234")
    sheets = edited("vehicles", 2, "seats", "0", sheets=sheets)
    result = runner.invoke(args=["import-roster", str(write_csvs(tmp_path / "roster", sheets))])
    assert result.exit_code == 1
    assert "members.csv, row 3, phone: '1391234' is not a valid phone number" in result.output
    assert "vehicles.csv, row 2, seats: '0' must be a whole number above 0" in result.output
    assert "2 errors: nothing was imported" in result.output
    with app.app_context():
        assert set(counts().values()) == {0}


def test_cli_imports_and_prints_the_summary(app, runner, tmp_path):
    result = runner.invoke(args=["import-roster", str(write_xlsx(tmp_path / "roster.xlsx", GOOD))])
    assert result.exit_code == 0, result.output
    assert "members: 3 created, 0 updated, 0 unchanged" in result.output
    assert "households: 2 created, 0 updated, 0 unchanged" in result.output
    with app.app_context():
        assert counts()["Household"] == 2


@pytest.mark.parametrize("name, message", [
    ("nowhere", "no such file or folder"),
    ("roster.txt", "neither an .xlsx workbook nor a folder of CSV files"),
    ("old.xls", "save it as .xlsx"),
    ("empty", "found no roster in it"),
])
def test_cli_says_what_is_wrong_with_the_path(runner, tmp_path, name, message):
    if name != "nowhere":
        (tmp_path / name).mkdir() if name == "empty" else (tmp_path / name).write_text("x")
    result = runner.invoke(args=["import-roster", str(tmp_path / name)])
    assert result.exit_code == 1 and message in result.output


def _csv_rows(name):
    with (DEMO_ROSTER / f"{name}.csv").open(encoding="utf-8") as file:
        return sum(1 for _ in file) - 1


def test_demo_roster_imports_cleanly_and_reports_progress(ctx):
    calls = []
    summary = import_roster(DEMO_ROSTER, db.session, region="CN", timezone="Asia/Shanghai",
                            progress=lambda *call: calls.append(call))
    db.session.commit()
    for name, count in summary.sheets.items():
        assert count.created == _csv_rows(name), name
    shifts = _csv_rows("shifts")
    assert ("shifts", 500, shifts) in calls and ("shifts", shifts, shifts) in calls
    tour = db.session.scalar(select(Household).where(Household.ref == "H0001"))
    assert tour.language == "mn" and tour.phones[0].phone == "+8613900000001"
    # Mongolian names in the traditional script for the places named in Mongolian, and their teams; none for 村.
    gacha = tour.place
    assert (gacha.name, gacha.name_mn) == ("哈日根图嘎查", "\u182c\u1820\u1837\u1820\u182d\u1820\u1828\u1820\u1832\u1824 "
                                         "\u182d\u1820\u1834\u1820\u182d\u180e\u1820")  # ᠬᠠᠷᠠᠭᠠᠨᠠᠲᠤ ᠭᠠᠴᠠᠭ᠎ᠠ
    team = db.session.scalar(select(Team).where(Team.code == "150623103203-2"))
    assert team.name_mn.startswith("\u182c\u1820\u1837\u1820\u182d\u1820\u1828\u1820\u1832\u1824 2 ")
    assert db.session.scalar(select(Place.name_mn).where(Place.name == "大沙头村")) is None


def test_load_demo_moves_shifts_to_start_today_and_loads_once(app, runner):
    result = runner.invoke(args=["load-demo"])
    assert result.exit_code == 0, result.output
    today = datetime.now(SHANGHAI).date()
    with app.app_context():
        first = db.session.scalar(select(func.min(DutyShift.starts_at)))
        assert first.astimezone(SHANGHAI) == datetime.combine(today, datetime.min.time(), tzinfo=SHANGHAI)
        last = db.session.scalar(select(func.max(DutyShift.ends_at)))
        assert last - first == timedelta(days=14)
        places = counts()["Place"]
    again = runner.invoke(args=["load-demo"])
    assert again.exit_code == 0 and "already has places" in again.output
    with app.app_context():
        assert counts()["Place"] == places


def test_load_demo_refuses_a_real_sms_backend(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_BACKEND", "twilio")
    result = runner.invoke(args=["load-demo"])
    assert result.exit_code == 1 and "could be real people's" in result.output
    with app.app_context():
        assert counts()["Place"] == 0
