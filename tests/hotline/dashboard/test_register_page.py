"""/dashboard/register: the register within the leader's scope, overdue first, filterable; a request's page
shows a caller on the register; red households stand right after emergencies on the board."""
import re
from datetime import timedelta

from dispatch.leaders.reports import board_order
from dispatch.requests.intake import open_request_for
from dispatch.runtime.unit_of_work import utcnow
from models import db

from .conftest import sign_in


def rows_of(page: str) -> list[str]:
    """The household refs of the register table, in order."""
    return re.findall(r'<tr id="household-([^"]+)"', page)


def homes(make, scene):
    north, south = scene.north_team.place, scene.south_team.place
    member = scene.north_team.members[0]
    now = utcnow()
    fine = make.register_household(place=north, contact=member, name="已访户", needs="disabled")
    make.contact(fine, now - timedelta(days=1), member=member)
    late = make.register_household(place=north, contact=member, name="逾期户", needs="pregnant", risk="yellow")
    make.contact(late, now - timedelta(days=12), member=member, outcome="well")
    red = make.register_household(place=north, contact=None, name="红户", needs="", risk="red")
    red.contact_phone, red.contact_name = "+8613900001234", "邻居王大姐"
    south_home = make.register_household(place=south, name="南户")
    db.session.commit()
    return fine, late, red, south_home


def test_a_gacha_secretary_sees_their_gacha_overdue_first_with_the_reasons(client, scene, make):
    fine, late, red, south_home = homes(make, scene)
    sign_in(client, scene.north_secretary)
    page = client.get("/dashboard/register").get_data(as_text=True)
    assert rows_of(page) == [red.ref, late.ref, fine.ref]  # never reached, then twelve days, then fine
    assert south_home.ref not in page and "南户" not in page  # another gacha's: not in scope
    for words in ("重度残疾人", "孕产妇", "邻居王大姐", "+8613900001234", "从未联系", "走访 · 一切正常", "逾期",
                  scene.north_team.members[0].name, "3户，逾期未联系2户"):
        assert words in page, words


def test_filters_by_colour_category_overdue_and_gacha(client, scene, make):
    fine, late, red, south_home = homes(make, scene)
    sign_in(client, scene.township_leader)
    everything = rows_of(client.get("/dashboard/register").get_data(as_text=True))  # the township: all four
    assert set(everything[:3]) == {red.ref, south_home.ref, late.ref} and everything[3] == fine.ref
    assert rows_of(client.get("/dashboard/register?colour=red").get_data(as_text=True)) == [red.ref]
    assert rows_of(client.get("/dashboard/register?need=pregnant").get_data(as_text=True)) == [late.ref]
    overdue = rows_of(client.get("/dashboard/register?overdue=1").get_data(as_text=True))
    assert set(overdue) == {red.ref, late.ref, south_home.ref}
    place = scene.south_team.place_id
    assert rows_of(client.get(f"/dashboard/register?place={place}").get_data(as_text=True)) == [south_home.ref]


def test_a_filter_that_is_not_the_pages_own_is_dropped_with_a_note(client, scene, make):
    homes(make, scene)
    sign_in(client, scene.north_secretary)
    south = scene.south_team.place_id  # outside the secretary's scope
    for query in (f"place={south}", "colour=purple", "need=rich"):
        response = client.get(f"/dashboard/register?{query}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200, query  # a bad filter is ignored with a note, never an error page
        assert "筛选条件无效，已忽略。" in page and "南户" not in page
    assert client.get("/dashboard/register?place=%00").status_code == 400  # a NUL byte: refused before any page


def test_a_request_from_a_household_on_the_register_says_so(client, scene, make):
    fine, late, red, _ = homes(make, scene)
    request = open_request_for(db.session, caller=late.phones[0].phone, category=1, text="", household=late,
                               now=utcnow(), channel="sms")
    db.session.commit()
    sign_in(client, scene.north_secretary)
    page = client.get(f"/dashboard/requests/{request.ref}").get_data(as_text=True)
    assert 'id="on-register"' in page and "重点人群 · 黄" in page and 'id="register-card"' in page
    assert "孕产妇" in page and "逾期" in page
    plain = client.get(f"/dashboard/requests/{scene.north_call.ref}").get_data(as_text=True)
    assert 'id="on-register"' not in plain  # 北牧民 is not on the register


def test_red_households_come_right_after_emergencies_on_the_board(client, scene, make):
    fine, late, red, _ = homes(make, scene)
    now = utcnow()
    emergency = open_request_for(db.session, caller="+8613700000001", category=9, text="", household=None,
                                 now=now, channel="sms")
    from_red = open_request_for(db.session, caller=red.phones[0].phone, category=3, text="", household=red,
                                now=now + timedelta(seconds=5), channel="sms")
    db.session.commit()
    sign_in(client, scene.township_leader)
    calls = client.get("/dashboard/api/board").json["calls"]
    refs = [c["ref"] for c in calls]
    assert refs[:2] == [emergency.ref, from_red.ref]  # the older ordinary calls come after
    assert calls[1]["red"] is True and calls[0]["red"] is False


def test_board_order_puts_red_after_emergencies_and_before_older_calls():
    base = {"status": "offered", "category": 1, "risk": None, "ref": "1000"}
    rows = [dict(base, created_at=1, ref="old"), dict(base, created_at=3, risk="red", ref="red"),
            dict(base, created_at=2, category=9, ref="sos"), dict(base, created_at=4, status="escalated", ref="esc")]
    assert [r["ref"] for r in sorted(rows, key=board_order)] == ["esc", "sos", "red", "old"]
