"""Every caller id is stored and becomes a request, however long (a SIP address); a message that still cannot
be handled is shown to the leaders whose scope it falls in."""
from datetime import timedelta

from sqlalchemy import select

from dispatch.runtime.unit_of_work import utcnow
from models import InboundMessage, Request, db
from tests.hotline.dashboard.conftest import scene, sign_in  # noqa: F401 (the fixture)
from tests.support.voice import Call as TwilioCall
from tests.support.webhooks import signed_post, sms_form, twiml_messages

SIP = "sip:herder-with-a-long-name@pbx.otog-front-banner.example.org"  # 59 characters


def test_a_text_from_a_sip_address_becomes_a_request_with_a_reference(app, client, ctx):
    answer = twiml_messages(signed_post(client, app, "/twilio/sms", sms_form(SIP, "送药")))
    request = db.session.scalar(select(Request))
    assert request is not None and request.caller_phone == SIP
    assert len(answer) == 1 and f"编号{request.ref}" in answer[0]
    inbound = db.session.scalar(select(InboundMessage))
    assert inbound.sender_kind == "herder" and inbound.request_id == request.id


def test_a_call_from_a_sip_address_becomes_a_request(app, client, ctx):
    call = TwilioCall(client, app, SIP)
    call.dial_in()
    call.press("2")  # Chinese
    for _ in range(3):
        call.silence()  # no gacha number: after two tries the menu comes anyway
    heard = call.press("1")
    request = db.session.scalar(select(Request))
    assert request is not None and request.caller_phone == SIP and request.category == 1
    assert heard.digits_read("zh") == request.ref * 2


def test_unhandled_messages_are_shown_to_the_leaders_of_their_place(app, client, scene):  # noqa: F811
    north_herder = scene.north_call.caller_phone
    now = utcnow()
    for sid, phone, body in (("SMunhandled1", north_herder, "北边的药还没到"), ("SMunhandled2", SIP, "陌生人的话")):
        db.session.add(InboundMessage(provider_sid=sid, from_phone=phone, to_phone="", body=body,
                                      received_at=now - timedelta(minutes=5), sender_kind="unhandled", reply=""))
    db.session.commit()
    sign_in(client, scene.north_secretary)
    north = client.get("/dashboard/messages").get_data(as_text=True)
    assert "北边的药还没到" in north and "陌生人的话" not in north
    sign_in(client, scene.south_secretary)
    south = client.get("/dashboard/messages").get_data(as_text=True)
    assert "北边的药还没到" not in south and "没有未处理的来信" in south
    sign_in(client, scene.township_leader)
    township = client.get("/dashboard/messages").get_data(as_text=True)
    assert "北边的药还没到" in township and "陌生人的话" in township
