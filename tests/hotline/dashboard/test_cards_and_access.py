"""The contact cards downloaded from the dashboard within the leader's scope, every card download and ledger
export written to the access record, and the record's page that only an admin may open."""
import io
from urllib.parse import quote

import pypdf
import pytest
from sqlalchemy import select

from models import AccessRecord, db
from tests.dispatch.register.conftest import build_card_town

from .conftest import sign_in


@pytest.fixture
def card_town(make):
    return build_card_town(make)


def pdf_text(response) -> tuple[int, str]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(response.data))
    return len(pdf.pages), "\n".join(page.extract_text() for page in pdf.pages)


def records():
    return [(r.what, r.leader_id, r.place_id) for r in db.session.scalars(select(AccessRecord).order_by(AccessRecord.id))]


def test_the_teams_page_offers_the_cards_of_the_places_in_scope(client, card_town):
    sign_in(client, card_town.township_leader)
    page = client.get("/dashboard/teams").get_data(as_text=True)
    assert 'action="/dashboard/cards.pdf"' in page and 'id="download-cards"' in page
    assert f'<option value="{card_town.north.id}">哈日根图嘎查</option>' in page
    assert records() == []  # the page shows no household; only the download is recorded


def test_a_gacha_secretary_downloads_the_cards_of_the_gacha_and_it_is_recorded(client, card_town):
    secretary = card_town.north_secretary
    sign_in(client, secretary)
    response = client.get("/dashboard/cards.pdf")
    pages, text = pdf_text(response)
    assert pages == 2 and "远队户" in text and "南户" not in text
    assert f"filename*=UTF-8''{quote('哈日根图嘎查便民服务联系卡.pdf')}" in response.headers["Content-Disposition"]
    assert records() == [("contact_cards", secretary.id, card_town.north.id)]


def test_a_township_leader_narrows_to_a_gacha(client, card_town):
    sign_in(client, card_town.township_leader)
    pages, text = pdf_text(client.get(f"/dashboard/cards.pdf?place={card_town.south.id}"))
    assert pages == 1 and "南户" in text and "远队户" not in text
    pages, _text = pdf_text(client.get("/dashboard/cards.pdf"))
    assert pages == 2  # the whole township: ten households
    leader = card_town.township_leader.id
    assert records() == [("contact_cards", leader, card_town.south.id), ("contact_cards", leader, card_town.township.id)]


@pytest.mark.parametrize("query, status", [("place={south}", 404), ("place=99999", 404), ("place=abc", 400)])
def test_cards_outside_the_scope_are_refused_and_nothing_is_recorded(client, card_town, query, status):
    sign_in(client, card_town.north_secretary)
    response = client.get(f"/dashboard/cards.pdf?{query.format(south=card_town.south.id)}")
    assert response.status_code == status and response.mimetype != "application/pdf"
    assert records() == []


def test_anonymous_cards_and_record_redirect_to_sign_in(client, card_town):
    for path in ("/dashboard/cards.pdf", "/dashboard/access"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/dashboard/login?next=")
    assert records() == []


def test_a_place_without_households_gets_a_message_not_an_empty_pdf(client, make, card_town):
    empty = make.gacha(name="空嘎查")
    db.session.commit()
    sign_in(client, card_town.admin)
    response = client.get(f"/dashboard/cards.pdf?place={empty.id}", follow_redirects=True)
    assert response.status_code == 200 and "这里还没有住户，没有联系卡可打印。" in response.get_data(as_text=True)
    assert records() == []


def test_ledger_downloads_are_recorded(client, card_town):
    sign_in(client, card_town.township_leader)
    assert client.get("/dashboard/ledgers/households.xlsx").status_code == 200
    assert client.get(f"/dashboard/ledgers/requests.xlsx?place={card_town.north.id}").status_code == 200
    assert client.get("/dashboard/ledgers/all.zip").status_code == 200
    leader, township = card_town.township_leader.id, card_town.township.id
    assert records() == [("ledger:households", leader, township), ("ledger:requests", leader, card_town.north.id),
                         ("ledgers:all", leader, township)]


def test_the_admin_reads_the_record_newest_first(client, card_town):
    sign_in(client, card_town.north_secretary)
    client.get("/dashboard/cards.pdf")
    sign_in(client, card_town.admin)
    client.get("/dashboard/ledgers/teams.xlsx")
    page = client.get("/dashboard/access")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    secretary, admin = card_town.north_secretary, card_town.admin
    assert f"{secretary.name}（{secretary.phone}）" in html and f"{admin.name}（{admin.phone}）" in html
    assert html.index(admin.phone) < html.index(secretary.phone)  # newest first
    assert "联系卡" in html and "台账：团队统计表" in html and "共2条" in html
    assert 'href="/dashboard/access"' in html  # in the admin's menu


@pytest.mark.parametrize("who", ["north_secretary", "township_leader"])
def test_the_record_does_not_exist_for_other_leaders(client, card_town, who):
    sign_in(client, getattr(card_town, who))
    assert client.get("/dashboard/access").status_code == 404
    assert 'href="/dashboard/access"' not in client.get("/dashboard/teams").get_data(as_text=True)


def test_a_scope_with_more_households_than_one_download_renders_is_asked_to_pick_a_gacha(app, client, monkeypatch,
                                                                                         card_town):
    monkeypatch.setitem(app.config, "CARDS_PER_DOWNLOAD", 9)  # the township has ten households, the north nine
    sign_in(client, card_town.township_leader)
    response = client.get("/dashboard/cards.pdf", follow_redirects=True)
    assert "共10户，一次最多打印9张：请选一个嘎查下载。" in response.get_data(as_text=True)
    assert records() == []
    pages, _text = pdf_text(client.get(f"/dashboard/cards.pdf?place={card_town.north.id}"))
    assert pages == 2


def test_every_view_of_the_register_page_is_recorded(client, card_town):
    sign_in(client, card_town.township_leader)
    assert client.get("/dashboard/register").status_code == 200
    assert client.get(f"/dashboard/register?place={card_town.north.id}").status_code == 200
    leader = card_town.township_leader.id
    assert records() == [("register", leader, card_town.township.id), ("register", leader, card_town.north.id)]
    sign_in(client, card_town.admin)
    assert "重点人群名册" in client.get("/dashboard/access").get_data(as_text=True)
