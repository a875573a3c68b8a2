"""The five ledgers downloaded from the dashboard by a signed-in leader, within their scope, for a chosen range;
and the charts page's figures."""
import io
import re
import zipfile
from urllib.parse import quote

import openpyxl
import pytest

from tests.dispatch.ledgers.conftest import build_town

from .conftest import sign_in

TITLES = ["团队统计表", "困难群体统计表", "活动记录表", "解决群众困难台账", "应急值班安排表"]


@pytest.fixture
def town(app, client, make):
    return build_town(app, client, make)


def rng(town) -> str:
    return f"since={town.period.since}&until={town.period.until}"


def workbook(response):
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(response.data))


def all_text(book) -> str:
    return "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row)


def test_the_ledgers_page_offers_the_five_downloads_for_the_range(client, town):
    sign_in(client, town.township_leader)
    page = client.get(f"/dashboard/ledgers?{rng(town)}").get_data(as_text=True)
    for slug, title in zip(("teams", "households", "activities", "requests", "shifts"), TITLES):
        assert title in page
        assert f'href="/dashboard/ledgers/{slug}.xlsx?since={town.period.since}&amp;until={town.period.until}"' in page
    assert 'id="download-all"' in page and "南嘎查" in page  # a township leader may narrow to a gacha


def test_a_township_leader_downloads_each_ledger_with_the_rows_of_the_township(client, town):
    sign_in(client, town.township_leader)
    requests = workbook(client.get(f"/dashboard/ledgers/requests.xlsx?{rng(town)}")).active
    assert requests["A1"].value == f"昂素镇 解决群众困难台账（{town.period.since}至{town.period.until}）"
    refs = {row[1] for row in requests.iter_rows(min_row=3, values_only=True)}
    assert refs == {town.done.ref, town.escalated.ref, town.stranger.ref}  # and the caller nobody knows
    response = client.get(f"/dashboard/ledgers/teams.xlsx?{rng(town)}")
    assert f"filename*=UTF-8''{quote('团队统计表.xlsx')}" in response.headers["Content-Disposition"]
    teams = workbook(response).active
    assert [row[2] for row in teams.iter_rows(min_row=3, values_only=True)] == ["北一队", "南一队"]


def test_a_gacha_secretary_never_gets_another_gachas_rows(client, town):
    sign_in(client, town.south_secretary)
    for slug in ("teams", "households", "activities", "requests", "shifts"):
        text = all_text(workbook(client.get(f"/dashboard/ledgers/{slug}.xlsx?{rng(town)}")))
        assert "南嘎查" in text
        for north in ("北嘎查", "北一队", "北红户", town.done.ref, town.stranger.ref):
            assert north not in text, (slug, north)
    north_gacha = town.north_team.place_id
    assert client.get(f"/dashboard/ledgers/teams.xlsx?place={north_gacha}").status_code == 404
    assert client.get(f"/dashboard/ledgers?place={north_gacha}").status_code == 404


def test_a_township_leader_narrows_to_one_gacha(client, town):
    sign_in(client, town.township_leader)
    book = workbook(client.get(f"/dashboard/ledgers/households.xlsx?{rng(town)}&place={town.north_team.place_id}"))
    assert book.active["A1"].value.startswith("北嘎查 困难群体统计表")
    assert {row[3] for row in book.active.iter_rows(min_row=3, values_only=True)} == {"北红户", "北黄户"}


def test_all_five_in_one_zip(client, town):
    sign_in(client, town.north_secretary)
    response = client.get(f"/dashboard/ledgers/all.zip?{rng(town)}")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.namelist() == [f"{title}.xlsx" for title in TITLES]
    book = openpyxl.load_workbook(io.BytesIO(archive.read("活动记录表.xlsx")))
    assert {row[3] for row in book.active.iter_rows(min_row=3, values_only=True)} == {"北一队", "热线"}


@pytest.mark.parametrize("path, status", [
    ("/dashboard/ledgers/teams.xlsx?since=yesterday", 400),
    ("/dashboard/ledgers/teams.xlsx?since=2026-03-02&until=2026-03-01", 400),
    ("/dashboard/ledgers/teams.xlsx?place=abc", 400),
    ("/dashboard/ledgers/payroll.xlsx", 404),
    ("/dashboard/charts?weeks=5", 400),
    ("/dashboard/charts?place=99999", 404),
])
def test_bad_choices_get_a_clear_status_not_a_500(client, town, path, status):
    sign_in(client, town.township_leader)
    assert client.get(path).status_code == status


def test_downloads_need_a_sign_in(client, town):
    response = client.get("/dashboard/ledgers/teams.xlsx")
    assert response.status_code == 302 and "/dashboard/login" in response.headers["Location"]


def test_the_charts_page_shows_the_figures_per_gacha_with_charts_and_tables(client, town):
    sign_in(client, town.township_leader)
    page = client.get("/dashboard/charts").get_data(as_text=True)
    assert "chartjs/chart.umd.min.js" in page and 'id="chart-weekly"' in page and 'id="chart-places"' in page
    places = page[page.index('id="places"'):]
    places = places[:places.index("</table>")]
    rows = re.findall(r"<tr><td>(.+?)</td>((?:<td>[^<]*</td>)+)</tr>", places)
    cells = {name: re.findall(r"<td>([^<]*)</td>", rest) for name, rest in rows}
    # served, visits, medicine, doctor, hazards, mutual aid, escalations, median minutes to acceptance
    assert cells["北嘎查"] == ["2", "1", "1", "0", "0", "0", "0", "6.0"]
    assert cells["南嘎查"] == ["0", "0", "0", "0", "0", "0", "1", "—"]
    assert "位置未知" not in cells  # the unknown caller's open request has counted nothing yet
    sign_in(client, town.south_secretary)
    page = client.get("/dashboard/charts").get_data(as_text=True)
    assert "北嘎查" not in page and "南嘎查" in page
