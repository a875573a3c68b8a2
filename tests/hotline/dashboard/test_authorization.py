"""Every dashboard route: anonymous → sign-in (401 for the JSON), wrong scope → 403/404, right scope → 200."""
import pytest
from sqlalchemy import select

from models import Event, Request, RequestStatus, db

from .conftest import post, sign_in

PAGES = ["/dashboard/", "/dashboard/teams", "/dashboard/schedule", "/dashboard/charts", "/dashboard/password",
         "/dashboard/sharing", "/dashboard/register"]
ACTIONS = {"reassign": {"team_id": "{north_spare}"}, "cancel": {"note": "重复来电"}, "close": {"note": "已电话解决"},
           "note": {"note": "已电话联系住户"}}


def fill(data: dict, scene) -> dict:
    return {k: v.format(north_spare=scene.north_spare.id) for k, v in data.items()}


@pytest.mark.parametrize("path", PAGES + ["/dashboard/requests/{ref}", "/dashboard/requests/{ref}/recording"])
def test_anonymous_pages_redirect_to_sign_in(client, scene, path):
    response = client.get(path.format(ref=scene.north_call.ref))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/dashboard/login?next=")


def test_anonymous_json_is_401(client, scene):
    response = client.get("/dashboard/api/board")
    assert response.status_code == 401 and response.json == {"error": "login required"}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_anonymous_actions_redirect_and_change_nothing(client, scene, action):
    client.get("/dashboard/login")  # a session with a CSRF token, but nobody signed in
    response = post(client, f"/dashboard/requests/{scene.north_call.ref}/{action}", fill(ACTIONS[action], scene))
    assert response.status_code == 302 and response.headers["Location"].startswith("/dashboard/login")
    assert db.session.scalar(select(Event).where(Event.kind.in_(("reassigned", "cancelled", "closed", "note")))) is None


@pytest.mark.parametrize("path", PAGES + ["/dashboard/api/board"])
def test_signed_in_pages_answer(client, scene, path):
    sign_in(client, scene.north_secretary)
    assert client.get(path).status_code == 200


def test_request_page_in_scope_is_shown_and_out_of_scope_is_404(client, scene):
    sign_in(client, scene.north_secretary)
    assert client.get(f"/dashboard/requests/{scene.north_call.ref}").status_code == 200
    assert client.get(f"/dashboard/requests/{scene.south_call.ref}").status_code == 404
    assert client.get(f"/dashboard/requests/{scene.stranger_call.ref}").status_code == 404
    assert client.get("/dashboard/requests/000000").status_code == 404


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_action_out_of_scope_is_404_and_changes_nothing(client, scene, action):
    sign_in(client, scene.south_secretary)
    response = post(client, f"/dashboard/requests/{scene.north_call.ref}/{action}", fill(ACTIONS[action], scene))
    assert response.status_code == 404
    db.session.refresh(scene.north_call)
    assert scene.north_call.status == RequestStatus.received
    assert [e.kind for e in scene.north_call.events] == ["received"]


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_action_in_scope_is_done_and_comes_back_to_the_page(client, scene, action):
    sign_in(client, scene.north_secretary)
    ref = scene.north_call.ref
    response = post(client, f"/dashboard/requests/{ref}/{action}", fill(ACTIONS[action], scene))
    assert response.status_code == 302 and response.headers["Location"] == f"/dashboard/requests/{ref}"
    kinds = [e.kind for e in db.session.scalar(select(Request).where(Request.ref == ref)).events]
    assert kinds[-1] == {"reassign": "reassigned", "cancel": "cancelled", "close": "closed", "note": "note"}[action]


def test_reassigning_to_a_team_outside_the_scope_is_403(client, scene):
    sign_in(client, scene.north_secretary)
    response = post(client, f"/dashboard/requests/{scene.north_call.ref}/reassign", {"team_id": scene.south_team.id})
    assert response.status_code == 403
    assert scene.north_call.offers == []


def test_board_shows_only_the_scope(client, scene):
    refs = {}
    for name in ("north_secretary", "south_secretary", "township_leader", "admin"):
        sign_in(client, getattr(scene, name))
        refs[name] = {c["ref"] for c in client.get("/dashboard/api/board").json["calls"]}
    north, south, stranger = scene.north_call.ref, scene.south_call.ref, scene.stranger_call.ref
    assert refs["north_secretary"] == {north}
    assert refs["south_secretary"] == {south}
    assert refs["township_leader"] == refs["admin"] == {north, south, stranger}


def test_teams_and_schedule_show_only_the_scope(client, scene):
    sign_in(client, scene.south_secretary)
    teams = client.get("/dashboard/teams").get_data(as_text=True)
    assert "南一队" in teams and "北一队" not in teams
    schedule = client.get("/dashboard/schedule").get_data(as_text=True)
    assert "南一队" in schedule and "北一队" not in schedule
    north_gacha = scene.north_team.place_id
    assert client.get(f"/dashboard/schedule?gacha={north_gacha}").status_code == 404
    assert client.get(f"/dashboard/schedule?gacha={scene.south_team.place_id}").status_code == 200
    assert client.get("/dashboard/schedule?day=yesterday").status_code == 400


def test_charts_count_only_the_scope(client, scene):
    sign_in(client, scene.south_secretary)
    page = client.get("/dashboard/charts").get_data(as_text=True)
    assert "<td>1</td></tr>" in page  # one request today, in the per-day table's total column
    sign_in(client, scene.admin)
    assert "<td>3</td></tr>" in client.get("/dashboard/charts").get_data(as_text=True)
