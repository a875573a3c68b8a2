"""Bad input on the dashboard gets a clear 400, never a 500, and the sign-in page does not reveal the roster."""
from sqlalchemy import select

from models import LoginCode, db

from .conftest import post, sign_in


def test_impossible_days_ids_and_nul_characters_are_400(client, scene):
    sign_in(client, scene.north_secretary)
    for path in ["/dashboard/schedule?day=9999-12-31", "/dashboard/schedule?day=0001-01-01",
                 "/dashboard/schedule?gacha=99999999999999999999", "/dashboard/schedule?day=tomorrow",
                 f"/dashboard/requests/{scene.north_call.ref}%00"]:
        assert client.get(path).status_code == 400, path
    reassign = post(client, f"/dashboard/requests/{scene.north_call.ref}/reassign",
                    {"team_id": "99999999999999999999999"})
    assert reassign.status_code == 400
    note = post(client, f"/dashboard/requests/{scene.north_call.ref}/note", {"note": "已联系\x00住户"})
    assert note.status_code == 400


def test_asking_twice_for_a_code_reads_the_same_as_for_a_stranger(client, scene):
    def flash_after_asking(phone):
        client.get("/dashboard/login")
        post(client, "/dashboard/login", {"phone": phone})
        return client.get("/dashboard/login/code").get_data(as_text=True)

    first = flash_after_asking(scene.north_secretary.phone)
    again = flash_after_asking(scene.north_secretary.phone)  # too soon: no second code is sent...
    stranger = flash_after_asking("+8613812345678")
    assert "验证码已通过短信发出" in first and "验证码已通过短信发出" in again and "验证码已通过短信发出" in stranger
    assert "刚刚发过" not in again  # ...and the page does not say so
    assert db.session.scalar(select(db.func.count()).select_from(LoginCode)) == 1


def test_the_teams_page_does_not_show_a_neighbours_call(client, scene):
    from dispatch.ladder import offers
    from dispatch.runtime.unit_of_work import utcnow

    # The south call is offered to the north team (a neighbour's team may be the nearest one on duty).
    scene.south_team.base_lat = 10.0  # far away, so the north team ranks first for the south call
    db.session.commit()
    offers.offer_to_next_team(db.session, scene.south_call.id, utcnow(), client.application.config)
    db.session.commit()
    sign_in(client, scene.north_secretary)
    page = client.get("/dashboard/teams").get_data(as_text=True)
    assert scene.south_call.ref not in page
