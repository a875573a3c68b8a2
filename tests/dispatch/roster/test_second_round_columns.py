"""The roster's second-round columns (design.md): all optional, so first-round files still import unchanged."""
import copy

from sqlalchemy import select

from models import DutyShift, Household, Language, Leader, LeaderRole, Member, MemberKind, Place, Team, db
from tests.dispatch.roster.test_roster_import import GOOD, run, write_csvs

MONGOLIAN = "ᠬᠠᠷᠠᠭᠠᠨᠲᠤ ᠭᠠᠴᠠᠭ\u180eᠠ"


def with_columns(**extra):
    """GOOD with extra columns: extra[sheet] = {column: [value for each data row]}."""
    sheets = copy.deepcopy(GOOD)
    for sheet, columns in extra.items():
        for column, values in columns.items():
            sheets[sheet][0].append(column)
            for row, value in zip(sheets[sheet][1:], values):
                row.append(value)
    return sheets


def test_second_round_columns_are_stored(ctx, tmp_path):
    sheets = with_columns(
        places={"name_mn": ["ᠣᠩᠰᠤ ᠪᠠᠯᠭᠠᠰᠤ", MONGOLIAN]},
        teams={"name_mn": ["ᠨᠢᠭᠡᠳᠦᠭᠡᠷ ᠰᠦᠯᠵᠢᠶ\u180eᠡ", ""]},
        members={"kind": ["grid_worker", "村医", ""], "sms_language": ["zh", "", "mn-Cyrl"]},
        leaders={"sms_language": ["", "zh"]},
        shifts={"member_phones": ["13912345678; +86 150 0000 0001", ""]},
        households={"contact_name": ["", "邻居 王大姐"], "sms_language": ["zh", ""]},
    )
    sheets["leaders"].append(["13900000041", "市场监管所 张", "150623103", "市场监管", "zh", ""])
    run(write_csvs(tmp_path / "roster", sheets))
    db.session.commit()

    gacha = db.session.scalar(select(Place).where(Place.code == "150623103203"))
    assert gacha.name_mn == MONGOLIAN
    assert db.session.scalar(select(Team).where(Team.code == "T1")).name_mn.startswith("ᠨᠢᠭᠡ")
    assert db.session.scalar(select(Team).where(Team.code == "T2")).name_mn is None
    captain = db.session.scalar(select(Member).where(Member.phone == "+8613912345678"))
    # Speaks Mongolian on the voice line, reads Chinese texts.
    assert (captain.kind, captain.language, captain.text_language) == (MemberKind.grid_worker, Language.mn, "zh")
    doctor = db.session.scalar(select(Member).where(Member.phone == "+8615000000001"))
    assert (doctor.kind, doctor.text_language) == (MemberKind.doctor, "zh")
    t2_captain = db.session.scalar(select(Member).where(Member.phone == "+8613900000003"))
    assert t2_captain.text_language == "mn-Cyrl"
    regulator = db.session.scalar(select(Leader).where(Leader.phone == "+8613900000041"))
    assert regulator.role == LeaderRole.market_regulator

    shifts = {s.team.code: s for s in db.session.scalars(select(DutyShift))}
    assert [m.name for m in shifts["T1"].on_duty] == ["巴特尔", "王建国"]
    assert [m.name for m in shifts["T2"].on_duty] == ["乌云其木格"]  # nobody listed: the whole team
    h1, h2 = (db.session.scalar(select(Household).where(Household.ref == ref)) for ref in ("H1", "H2"))
    assert (h1.text_language, h1.contact_name, h1.on_register) == ("zh", None, True)
    assert (h2.text_language, h2.contact_name, h2.on_register) == ("zh", "邻居 王大姐", False)


def test_a_shift_member_from_another_team_is_an_error_and_nothing_is_written(ctx, tmp_path):
    sheets = with_columns(shifts={"member_phones": ["139-0000-0003", ""]})
    summary_or_error = None
    try:
        run(write_csvs(tmp_path / "roster", sheets))
    except Exception as error:  # RosterError carries the lines a leader reads
        summary_or_error = error
    assert "shifts.csv, row 2, member_phones: '+8613900000003' is not a member of team 'T1' (it is in team 'T2')" \
        in str(summary_or_error)
    assert db.session.scalar(select(DutyShift.id)) is None


def test_reimporting_without_the_new_columns_keeps_them(ctx, tmp_path):
    run(write_csvs(tmp_path / "first", with_columns(shifts={"member_phones": ["13912345678", ""]},
                                                     places={"name_mn": ["", MONGOLIAN]})))
    db.session.commit()
    run(write_csvs(tmp_path / "second", GOOD))
    db.session.commit()
    t1 = db.session.scalar(select(DutyShift).join(Team).where(Team.code == "T1"))
    assert [m.name for m in t1.on_duty] == ["巴特尔"]
    assert db.session.scalar(select(Place.name_mn).where(Place.code == "150623103203")) == MONGOLIAN
