"""What the pages show and what the actions send, through the test client."""
import copy

from sqlalchemy import select

from dispatch.ladder import offers
import pytest

from models import Leader, LeaderRole, OutboundMessage, OutboundStatus, Request, RequestStatus, db
from tests.dispatch.roster.test_roster_import import GOOD, run, write_csvs

from .conftest import post, sign_in


def sent_to(phone):
    return [m.body for m in db.session.scalars(select(OutboundMessage).where(
        OutboundMessage.to_phone == phone, OutboundMessage.template != "reply").order_by(OutboundMessage.id))]


def test_board_lists_calls_with_status_age_place_and_holder(app, client, scene):
    offers.offer_to_next_team(db.session, scene.north_call.id, scene.north_call.created_at, app.config)
    db.session.commit()
    sign_in(client, scene.township_leader)
    page = client.get("/dashboard/").get_data(as_text=True)
    for text in (f"#{scene.north_call.ref}", "派单中", "北嘎查", "北牧民", "北一队（待接）", "待发送", "送药", "位置未知",
                 "leaflet/leaflet.js", 'id="map"'):
        assert text in page
    calls = client.get("/dashboard/api/board").json["calls"]
    north = next(c for c in calls if c["ref"] == scene.north_call.ref)
    assert north["status_label"] == "派单中" and north["last_message"]["what"] == "派单"
    assert north["age"].endswith("分钟") and north["url"] == f"/dashboard/requests/{scene.north_call.ref}"


def test_request_page_shows_timeline_ranking_and_delivery(app, client, scene):
    offers.offer_to_next_team(db.session, scene.north_call.id, scene.north_call.created_at, app.config)
    message = db.session.scalar(select(OutboundMessage).where(OutboundMessage.template == "offer"))
    message.status, message.error_code = OutboundStatus.undelivered, "30003"
    db.session.commit()
    sign_in(client, scene.north_secretary)
    page = client.get(f"/dashboard/requests/{scene.north_call.ref}").get_data(as_text=True)
    for text in ("收到求助", "派单", "北一队", "值班中、有车", "未送达（30003）", "派单排序与理由", "改派给", "北二队",
                 "办结说明", "取消求助", "添加备注"):
        assert text in page, text
    assert f'<option value="{scene.south_team.id}">' not in page  # not a team this secretary may choose
    assert f'<option value="{scene.north_spare.id}">' in page


def test_reassign_through_the_page_texts_the_new_team_and_the_herder(app, client, scene):
    sign_in(client, scene.north_secretary)
    ref = scene.north_call.ref
    response = post(client, f"/dashboard/requests/{ref}/reassign", {"team_id": scene.north_spare.id})
    assert response.status_code == 302
    page = client.get(f"/dashboard/requests/{ref}").get_data(as_text=True)
    assert "已改派给北二队" in page and scene.north_secretary.name in page
    for member in scene.north_spare.members:
        assert ref in sent_to(member.phone)[0]
    assert "北二队" in sent_to(scene.north_call.caller_phone)[-1]
    again = post(client, f"/dashboard/requests/{ref}/reassign", {"team_id": scene.north_spare.id},
                 follow_redirects=True)
    assert "北二队已经在处理此求助" in again.get_data(as_text=True)
    assert post(client, f"/dashboard/requests/{ref}/reassign", {"team_id": "x"}).status_code == 400


def test_close_without_a_note_is_refused_and_with_one_is_done(client, scene):
    sign_in(client, scene.north_secretary)
    ref = scene.north_call.ref
    assert "办结需要填写说明" in post(client, f"/dashboard/requests/{ref}/close", {"note": " "},
                                     follow_redirects=True).get_data(as_text=True)
    post(client, f"/dashboard/requests/{ref}/close", {"note": "电话里已解决"})
    db.session.refresh(scene.north_call)
    assert scene.north_call.status == RequestStatus.done
    assert "已办结" in sent_to(scene.north_call.caller_phone)[-1]
    page = client.get(f"/dashboard/requests/{ref}").get_data(as_text=True)
    assert "电话里已解决" in page and 'id="reassign-form"' not in page  # closed: no more actions but a note
    again = post(client, f"/dashboard/requests/{ref}/cancel", {"note": ""}, follow_redirects=True)
    assert "未能执行" in again.get_data(as_text=True)


def test_teams_page_shows_duty_vehicle_and_what_each_holds(app, client, scene):
    offers.offer_to_next_team(db.session, scene.north_call.id, scene.north_call.created_at, app.config)
    db.session.commit()
    sign_in(client, scene.north_secretary)
    page = client.get("/dashboard/teams").get_data(as_text=True)
    for text in ("北一队", "值班中", "蒙K", f"#{scene.north_call.ref}", "队长", scene.north_team.members[0].phone):
        assert text in page


def test_the_roster_import_accepts_admins(ctx, tmp_path):
    sheets = copy.deepcopy(GOOD)
    sheets["leaders"].append(["13900000041", "管理员甲", "150623103", "admin", "zh"])
    run(write_csvs(tmp_path / "roster", sheets))
    assert db.session.scalar(select(Leader.role).where(Leader.name == "管理员甲")) == LeaderRole.admin


def test_admins_are_not_texted_on_escalation(app, scene):
    from dispatch.ladder.escalation import leaders_for

    place = scene.north_call.place
    told = leaders_for(db.session, place, LeaderRole.township_leader) + leaders_for(db.session, place,
                                                                                   LeaderRole.gacha_secretary)
    assert scene.admin not in told and scene.township_leader in told


@pytest.mark.skipif(not hasattr(Request, "recording_url"), reason="recordings come with the voice work")
def test_a_voice_request_shows_its_recording(client, scene):
    scene.north_call.channel, scene.north_call.recording_url = "voice", "https://api.twilio.com/rec/RE123"
    db.session.commit()
    sign_in(client, scene.north_secretary)
    page = client.get(f"/dashboard/requests/{scene.north_call.ref}").get_data(as_text=True)
    recording = f"/dashboard/requests/{scene.north_call.ref}/recording"  # played through the app (see test_recording)
    assert f'<audio controls preload="none" src="{recording}">' in page and "电话" in page
