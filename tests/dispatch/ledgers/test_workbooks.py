"""Each of the five ledgers, written as a real .xlsx and read back with openpyxl, holds the rows the database
holds: titles, headers, one row per team / register household / activity / request / shift, dates as dates."""
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from dispatch.leaders.scope import scope_for
from dispatch.ledgers.export import LEDGERS, write_ledgers
from dispatch.ledgers.period import EVERYTHING
from models import db

from .conftest import ZONE


def read_back(path: Path) -> dict[str, list[list]]:
    """Every sheet of the workbook as rows of values."""
    book = openpyxl.load_workbook(path)
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def body(rows, header: str) -> list[dict]:
    """The rows under the header row, as dicts by column name."""
    names = rows[1]
    assert names[0] == header
    return [dict(zip(names, row)) for row in rows[2:]]


def local(moment):
    return moment.astimezone(ZONE).replace(tzinfo=None, microsecond=0)


@pytest.fixture
def books(town, tmp_path):
    paths = write_ledgers(db.session, tmp_path / "out", EVERYTHING, town.period, "昂素镇")
    return {path.stem: read_back(path) for path in paths}


def test_the_five_workbooks_are_named_by_their_titles_with_a_title_row_and_a_frozen_header(town, tmp_path):
    paths = write_ledgers(db.session, tmp_path, EVERYTHING, town.period, "昂素镇")
    assert [p.name for p in paths] == ["团队统计表.xlsx", "困难群体统计表.xlsx", "活动记录表.xlsx", "解决群众困难台账.xlsx",
                                       "应急值班安排表.xlsx"]
    for path in paths:
        ws = openpyxl.load_workbook(path).worksheets[0]
        assert ws["A1"].value == f"昂素镇 {path.stem}（{town.period.since}至{town.period.until}）"
        assert ws["A1"].font.bold and ws["A2"].font.bold
        assert ws.freeze_panes == "A3"
        assert ws.column_dimensions["A"].width == 6 and all(
            ws.column_dimensions[c].width >= 6 for c in "BCDEF")


def test_team_ledger_counts_members_by_role_and_kind_and_lists_vehicles(town, books):
    rows = body(books["团队统计表"]["团队统计表"], "序号")
    assert [r["服务队"] for r in rows] == ["北一队", "南一队"]  # by gacha name: 北 before 南
    north, south = rows
    captain = town.north_team.members[0]
    assert (north["嘎查（社区）"], north["队长"], north["队长电话"], north["总人数"]) == ("北嘎查", captain.name,
                                                                                captain.phone, 3)
    assert (north["队长（人）"], north["队员（人）"], north["医生（人）"], north["司机（人）"]) == (1, 1, 1, 0)
    assert (north["网格员（人）"], north["嘎查干部（人）"], north["村医（人）"], north["志愿者（人）"],
            north["未填身份（人）"]) == (1, 1, 1, 0, 0)
    assert f"{captain.name} 队长·网格员 {captain.phone}" in north["成员名单"]
    assert north["车辆数"] == 1 and north["应急车辆"] == f"{town.north_team.vehicles[0].plate}（越野车，5座）"
    assert (south["司机（人）"], south["未填身份（人）"]) == (1, 2)


def test_register_ledger_lists_households_on_the_register_with_contact_and_totals(town, books):
    sheets = books["困难群体统计表"]
    rows = {r["户主"]: r for r in body(sheets["困难群体统计表"], "序号")}
    assert set(rows) == {"北红户", "北黄户", "南孕户"}  # the green household with no needs is not on it
    red, yellow, south = rows["北红户"], rows["北黄户"], rows["南孕户"]
    captain = town.north_team.members[0]
    assert (red["类别"], red["风险等级"], red["包联人"], red["包联人电话"]) == ("独居空巢老人", "红", captain.name,
                                                                         captain.phone)
    assert red["联系电话"] == town.red.phones[0].phone
    # The latest contact is the request done an hour ago, as the register records it.
    assert isinstance(red["最近联系"], datetime) and red["最近联系"] == local(town.done.closed_at)
    assert (red["联系方式"], red["联系结果"]) == ("办结求助", "一切正常")
    assert (yellow["类别"], yellow["风险等级"], yellow["包联人"]) == ("重度残疾人、重病患者", "黄", "村医张三")
    assert (yellow["联系方式"], yellow["联系结果"]) == ("短信问候（热线）", "需要帮助")
    assert (south["最近联系"], south["包联人"], south["风险等级"]) == ("从未联系", None, None)  # empty cells
    totals = {r["嘎查（社区）"]: r for r in body(sheets["合计"], "嘎查（社区）")}
    assert list(totals) == ["北嘎查", "南嘎查", "合计"]
    assert (totals["北嘎查"]["户数"], totals["北嘎查"]["红色"], totals["北嘎查"]["黄色"]) == (2, 1, 1)
    assert (totals["合计"]["户数"], totals["合计"]["孕产妇"], totals["合计"]["独居空巢老人"], totals["合计"]["未标颜色"]) == \
        (3, 1, 1, 1)


def test_activity_ledger_has_each_contact_and_each_request_done_once(town, books):
    rows = body(books["活动记录表"]["活动记录表"], "序号")
    assert [r["序号"] for r in rows] == [1, 2, 3, 4]
    times = [r["时间"] for r in rows]
    assert times == sorted(times) and all(isinstance(t, datetime) for t in times)
    call, sms, visit, done = rows
    assert (call["服务内容"], call["服务队"], call["结果"]) == ("电话问候（热线）", "热线", "未联系上")
    assert (sms["服务对象"], sms["结果"]) == ("北黄户", "需要帮助")
    captain = town.north_team.members[0]
    assert (visit["服务内容"], visit["服务队"], visit["队员"], visit["结果"]) == ("走访", "北一队", captain.name,
                                                                          "一切正常：血压正常")
    assert (done["服务内容"], done["队员"], done["服务对象"], done["求助编号"]) == ("送药上门", captain.name, "北红户",
                                                                          town.done.ref)
    assert done["结果"] == "已办结，住户反馈已解决" and done["时间"] == local(town.done.closed_at)


def test_problem_ledger_has_every_request_with_its_escalations_and_the_answer(town, books):
    rows = {r["编号"]: r for r in body(books["解决群众困难台账"]["解决群众困难台账"], "序号")}
    assert set(rows) == {town.done.ref, town.escalated.ref, town.stranger.ref}
    done, escalated, stranger = rows[town.done.ref], rows[town.escalated.ref], rows[town.stranger.ref]
    assert (done["求助人"], done["嘎查（社区）"], done["类别"], done["求助内容"], done["方式"]) == (
        "北红户", "北嘎查", "送药", "降压药", "短信")
    assert (done["接单服务队"], done["接单队员"], done["状态"], done["群众是否解决"]) == (
        "北一队", town.north_team.members[0].name, "已办结", "已解决")
    assert done["求助时间"] == local(town.done.created_at) and done["办结时间"] == local(town.done.closed_at)
    assert done["接单时间"] == local(town.done.accepted_at) and not done["升级与处理记录"]
    lines = escalated["升级与处理记录"].splitlines()
    assert "升级：0支服务队未接单" in lines[0] and "已通知：" in lines[1] and town.south_secretary.name in lines[1]
    assert (escalated["状态"], escalated["群众是否解决"], escalated["接单服务队"]) == ("已升级", None, None)
    assert (stranger["求助人"], stranger["嘎查（社区）"], stranger["求助电话"]) == ("名册外来电", "位置未知",
                                                                           "+8613700000009")


def test_shift_ledger_has_lead_members_on_duty_and_vehicle(town, books):
    rows = body(books["应急值班安排表"]["应急值班安排表"], "序号")
    assert len(rows) == 3  # the two teams now, the north team tomorrow
    tomorrow = rows[-1]
    captain, cadre, doctor = town.north_team.members
    assert (tomorrow["服务队"], tomorrow["带班"], tomorrow["带班电话"]) == ("北一队", captain.name, captain.phone)
    assert (tomorrow["值班人员"], tomorrow["值班人数"], tomorrow["应急车辆"]) == (f"{cadre.name} {cadre.phone}", 1, "无")
    now_north = next(r for r in rows[:2] if r["服务队"] == "北一队")
    assert now_north["值班人数"] == 3 and now_north["应急车辆"].startswith(town.north_team.vehicles[0].plate)
    assert isinstance(now_north["开始"], datetime) and now_north["开始"] < now_north["结束"]


def test_a_gacha_secretary_never_gets_another_gachas_rows(town, tmp_path):
    scope = scope_for(db.session, town.south_secretary)
    paths = write_ledgers(db.session, tmp_path, scope, town.period, "南嘎查")
    text = "\n".join(str(value) for path in paths for rows in read_back(path).values() for row in rows
                     for value in row)
    for north in ("北一队", "北红户", "北黄户", town.done.ref, town.stranger.ref, "北嘎查"):
        assert north not in text
    for south in ("南一队", "南孕户", town.escalated.ref):
        assert south in text


def test_a_period_without_activity_gives_empty_ledgers_with_their_headers(town, tmp_path):
    from dispatch.ledgers.period import Period

    quiet = Period(town.period.since.replace(year=2020), town.period.until.replace(year=2020), ZONE)
    for path in write_ledgers(db.session, tmp_path, EVERYTHING, quiet, "昂素镇"):
        rows = read_back(path)[path.stem]
        if path.stem in ("活动记录表", "解决群众困难台账", "应急值班安排表"):
            assert len(rows) == 2 and rows[1][0] == "序号"
    assert len(LEDGERS) == 5
