"""The sharing page's actions (a reserve set, needs matched again, a post closed) and the catalogue's
sub-categories on the board and a request's page, each within the leader's scope."""
from sqlalchemy import select

from dispatch.runtime.unit_of_work import utcnow
from dispatch.sharing import stock
from models import OutboundMessage, Request, ShareMatch, SharePost, db

from .conftest import post, sign_in


def need_in(make, place, item="antigen", quantity=2):
    household = make.household(place=place, name="要药的人")
    need = stock.post_share(db.session, kind="need", item=item, quantity=quantity, text="需 抗原",
                            phone=household.phones[0].phone, household=household, member=None, now=utcnow())
    db.session.commit()
    return need


def test_a_reserve_set_on_the_page_meets_a_waiting_need_and_shows(client, make, scene):
    need = need_in(make, scene.north_call.place)
    sign_in(client, scene.north_secretary)
    response = post(client, "/dashboard/sharing/reserve",
                    {"place_id": scene.north_call.place_id, "item": "antigen", "level": "5"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "北嘎查的抗原试剂盒储备已设为5。已为1位等待的居民配上" in page
    assert "<td class=\"num\">3</td><td class=\"num\">2</td>" in page  # 3 left, 2 on their way
    [match] = db.session.scalars(select(ShareMatch)).all()
    assert match.need_id == need.id and f"#{match.request.ref}" in page
    found = db.session.scalar(select(OutboundMessage.body).where(OutboundMessage.to_phone == need.phone))
    assert "抗原试剂盒找到了" in found


def test_a_reserve_outside_the_scope_is_404_and_bad_values_are_400(client, scene):
    sign_in(client, scene.north_secretary)
    south = {"place_id": scene.south_call.place_id, "item": "antigen", "level": "5"}
    assert post(client, "/dashboard/sharing/reserve", south).status_code == 404
    north = {"place_id": scene.north_call.place_id, "item": "antigen"}
    for bad in ({"level": "-1"}, {"level": "²"}, {"level": "100001"}, {"level": "5", "item": "糖"},
                {"level": "5", "place_id": "99999999999"}, {"level": "5", "place_id": "x"}):
        assert post(client, "/dashboard/sharing/reserve", {**north, **bad}).status_code == 400, bad
    assert db.session.scalar(select(SharePost)) is None


def test_match_again_and_close_on_the_page(client, make, scene):
    need = need_in(make, scene.north_call.place, item="fever", quantity=1)
    giver = make.household(place=scene.north_call.place, name="给药的人")
    have = stock.post_share(db.session, kind="have", item="fever", quantity=1, text="有 退烧药",
                            phone=giver.phones[0].phone, household=giver, member=None, now=utcnow())
    db.session.commit()
    sign_in(client, scene.south_secretary)
    assert post(client, f"/dashboard/sharing/posts/{have.id}/close").status_code == 404  # not their gacha
    assert "没有新的匹配" in post(client, "/dashboard/sharing/match", follow_redirects=True).get_data(as_text=True)
    sign_in(client, scene.north_secretary)
    page = client.get("/dashboard/sharing").get_data(as_text=True)
    assert f'id="post-{need.ref}"' in page and f'id="post-{have.ref}"' in page
    assert "新配上1件" in post(client, "/dashboard/sharing/match", follow_redirects=True).get_data(as_text=True)
    leftover = need_in(make, scene.north_call.place, item="mask", quantity=1)
    assert "已撤下" in post(client, f"/dashboard/sharing/posts/{leftover.id}/close",
                           follow_redirects=True).get_data(as_text=True)
    assert f'id="post-{leftover.ref}"' not in client.get("/dashboard/sharing").get_data(as_text=True)
    again = post(client, f"/dashboard/sharing/posts/{leftover.id}/close", follow_redirects=True)
    assert "未能执行" in again.get_data(as_text=True)


def test_a_leader_files_a_request_under_a_service_and_the_board_filters_by_it(client, scene):
    sign_in(client, scene.north_secretary)
    ref = scene.north_call.ref
    assert post(client, f"/dashboard/requests/{ref}/subcategory", {"subcategory": "bogus"}).status_code == 400
    page = post(client, f"/dashboard/requests/{ref}/subcategory", {"subcategory": "visit"},
                follow_redirects=True).get_data(as_text=True)
    assert "细类已更改" in page and '<dd id="subcategory">走访慰问</dd>' in page and "改细类" in page
    assert db.session.scalar(select(Request.subcategory).where(Request.ref == ref)) == "visit"
    [row] = client.get("/dashboard/api/board?sub=visit").json["calls"]
    assert row["ref"] == ref and row["subcategory_label"] == "走访慰问"
    assert client.get("/dashboard/api/board?sub=meals").json["calls"] == []
    assert client.get("/dashboard/api/board?sub=nope").status_code == 400
    assert client.get("/dashboard/?category=x").status_code == 400
    assert "走访慰问" in client.get("/dashboard/?sub=visit").get_data(as_text=True)
