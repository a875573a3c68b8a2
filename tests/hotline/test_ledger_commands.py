"""`flask export-ledgers` and `flask send-digest`: what an operator types, what they read back, and a sentence
(never a traceback) for a bad place code or date."""
import openpyxl
import pytest
from sqlalchemy import select

from models import OutboundMessage, db
from tests.dispatch.ledgers.conftest import build_town
from tests.support.webhooks import run_queued_jobs


@pytest.fixture
def town(app, client, make):
    return build_town(app, client, make)


def test_export_ledgers_writes_the_five_workbooks_of_a_place(town, runner, tmp_path):
    north = town.north_team.place
    since, until = town.period.since.isoformat(), town.period.until.isoformat()
    result = runner.invoke(args=["export-ledgers", str(tmp_path / "out"), "--place", north.code, "--since", since,
                                 "--until", until])
    assert result.exit_code == 0, result.output
    assert f"Wrote the ledgers of 北嘎查, {since} to {until}:" in result.output
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == sorted(["团队统计表.xlsx", "困难群体统计表.xlsx", "活动记录表.xlsx", "解决群众困难台账.xlsx",
                            "应急值班安排表.xlsx"])
    ws = openpyxl.load_workbook(tmp_path / "out" / "解决群众困难台账.xlsx").active
    assert ws["A1"].value == f"北嘎查 解决群众困难台账（{since}至{until}）"
    assert [row[1] for row in ws.iter_rows(min_row=3, values_only=True)] == [town.done.ref]  # the north's only


def test_export_ledgers_without_a_place_covers_everything(town, runner, tmp_path):
    result = runner.invoke(args=["export-ledgers", str(tmp_path), "--since", town.period.since.isoformat()])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(tmp_path / "团队统计表.xlsx").active
    assert ws["A1"].value.startswith("昂素镇 团队统计表") and ws.max_row == 4  # title, header, two teams


@pytest.mark.parametrize("args, says", [
    (["--place", "nowhere"], "No place has the code 'nowhere'"),
    (["--since", "2026-13-01"], "--since must be a date written YYYY-MM-DD, not '2026-13-01'."),
    (["--since", "2026-03-02", "--until", "2026-03-01"], "--until (2026-03-01) is before --since (2026-03-02)."),
])
def test_export_ledgers_refuses_bad_input_with_a_sentence(ctx, runner, tmp_path, args, says):
    result = runner.invoke(args=["export-ledgers", str(tmp_path / "out"), *args])
    assert result.exit_code == 2 and says in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_export_ledgers_into_a_file_says_it_cannot_write(ctx, runner, tmp_path):
    (tmp_path / "taken").write_text("")
    result = runner.invoke(args=["export-ledgers", str(tmp_path / "taken")])
    assert result.exit_code == 1 and "Cannot write into" in result.output and "Traceback" not in result.output


def test_send_digest_texts_each_leader(app, town, runner):
    result = runner.invoke(args=["send-digest"])
    assert result.exit_code == 0 and "on its way to 3 leaders" in result.output
    run_queued_jobs(app)
    db.session.expire_all()
    bodies = {m.to_phone: m.body for m in db.session.scalars(
        select(OutboundMessage).where(OutboundMessage.template == "digest"))}
    assert "南嘎查：未结1件，其中升级1件" in bodies[town.south_secretary.phone]
    assert set(bodies) == {town.north_secretary.phone, town.south_secretary.phone, town.township_leader.phone}
