"""POST /twilio/sms as Twilio sends it: signed forms in, TwiML out, SMS recorded and sent by the jobs."""
import pytest
from sqlalchemy import select

from models import (InboundMessage, Language, MessageStatusEvent, OutboundMessage, OutboundStatus, Request,
                    RequestStatus, db)
from tests.support.webhooks import run_queued_jobs, signed_post, sms_form, twiml_messages


def sent_to(phone):
    return list(db.session.scalars(select(OutboundMessage).where(
        OutboundMessage.to_phone == phone, OutboundMessage.template != "reply").order_by(OutboundMessage.id)))


def test_unsigned_or_forged_posts_are_refused_and_nothing_is_stored(app, client, ctx):
    form = sms_form("+8613900000001", "1")
    assert client.post("/twilio/sms", data=form).status_code == 403
    assert signed_post(client, app, "/twilio/sms", form, signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    tampered = dict(form)
    good = signed_post(client, app, "/twilio/sms", form).status_code
    tampered["Body"] = "9"
    assert good == 200
    assert signed_post(client, app, "/twilio/sms", tampered, signature="x").status_code == 403
    assert db.session.query(InboundMessage).count() == 1


def test_signature_uses_public_base_url_behind_a_proxy(app, client, ctx):
    # The app sees http://localhost/twilio/sms; Twilio signed https://hotline.example.org/twilio/sms.
    response = signed_post(client, app, "/twilio/sms", sms_form("+8613900000002", "送药"))
    assert response.status_code == 200 and response.mimetype == "application/xml"


# The herder's own script: traditional Mongolian (ᠳ᠋ᠤᠭᠠᠷ "number", d with FVS1), Cyrillic, or Chinese read by a
# Mongolian speaker whose phone cannot show the traditional script (sms_language).
@pytest.mark.parametrize("language, sms_language, body, number", [
    ("mn", None, "\u1821\u182e \u182c\u1821\u1837\u1821\u182d\u1832\u1821\u1822", "\u1833\u180b\u1824\u182d\u1820\u1837"),
    ("mn-Cyrl", None, "Эм хэрэгтэй", "дугаар"),
    ("mn", "zh", "em heregtei", "编号"),
])
def test_herder_text_answers_with_reference_at_once(app, client, ctx, make, language, sms_language, body, number):
    herder = make.household(language=language)
    herder.sms_language = Language(sms_language) if sms_language else None
    db.session.commit()
    response = signed_post(client, app, "/twilio/sms", sms_form(herder.phones[0].phone, body))
    [answer] = twiml_messages(response)
    request = db.session.scalar(select(Request))
    assert request.ref in answer and number in answer
    assert request.category == 1 and request.status == RequestStatus.received
    assert db.session.scalar(select(InboundMessage.request_id)) == request.id


def test_same_message_sid_twice_makes_one_request_and_the_same_answer(app, client, ctx):
    form = sms_form("+8613900000003", "家里没电了")
    first = twiml_messages(signed_post(client, app, "/twilio/sms", form))
    second = twiml_messages(signed_post(client, app, "/twilio/sms", form))
    assert first == second
    assert db.session.query(Request).count() == 1 and db.session.query(InboundMessage).count() == 1


def test_whole_loop_through_webhooks_and_jobs(app, client, ctx, make):
    gacha = make.gacha()
    herder = make.household(place=gacha, name="乌云")
    team = make.team(name="第一小分队", place=gacha, members=2)
    leader = make.leader(gacha.parent, role="township_leader")
    db.session.commit()
    herder_phone = herder.phones[0].phone
    [ack] = twiml_messages(signed_post(client, app, "/twilio/sms", sms_form(herder_phone, "1")))
    run_queued_jobs(app)
    request = db.session.scalar(select(Request))
    assert request.ref in ack and request.status == RequestStatus.offered
    offers_sent = [sent_to(m.phone)[0] for m in team.members]
    assert all(m.status == OutboundStatus.sent and m.provider_sid for m in offers_sent)
    assert all(request.ref in m.body and "乌云" in m.body for m in offers_sent)

    taker = team.members[1]
    [echo] = twiml_messages(signed_post(client, app, "/twilio/sms", sms_form(taker.phone, "Y")))
    run_queued_jobs(app)
    assert request.ref in echo and herder_phone in echo
    assert db.session.scalar(select(InboundMessage.request_id).where(InboundMessage.from_phone == taker.phone)) \
        == request.id
    [assigned] = sent_to(herder_phone)
    assert "第一小分队" in assigned.body and taker.phone in assigned.body and assigned.status == OutboundStatus.sent

    [listing] = twiml_messages(signed_post(client, app, "/twilio/sms", sms_form(leader.phone, "OPEN")))
    assert request.ref in listing and "已接单" in listing

    [done] = twiml_messages(signed_post(client, app, "/twilio/sms", sms_form(taker.phone, f"0 {request.ref}")))
    run_queued_jobs(app)
    assert request.ref in done
    assert "已办结" in sent_to(herder_phone)[-1].body


def test_status_callbacks_keep_history_and_an_undeliverable_offer_moves_on(app, client, ctx, make):
    gacha = make.gacha()
    herder = make.household(place=gacha)
    near = make.team(place=gacha, lat=38.1, lon=108.1)
    far = make.team(place=gacha, lat=38.5, lon=108.1)
    db.session.commit()
    signed_post(client, app, "/twilio/sms", sms_form(herder.phones[0].phone, "2"))
    run_queued_jobs(app)
    [offer_sms] = sent_to(near.members[0].phone)
    callback = {"MessageSid": offer_sms.provider_sid, "MessageStatus": "undelivered", "ErrorCode": "30003",
                "AccountSid": "AC" + "0" * 32}
    assert signed_post(client, app, "/twilio/status", callback).status_code == 204
    assert signed_post(client, app, "/twilio/status", callback).status_code == 204  # repeated: no change
    run_queued_jobs(app)
    db.session.refresh(offer_sms)
    assert offer_sms.status == OutboundStatus.undelivered and offer_sms.error_code == "30003"
    assert db.session.query(MessageStatusEvent).filter_by(message_id=offer_sms.id, status="undelivered").count() == 1
    request = db.session.scalar(select(Request))
    assert [o.team_id for o in request.offers] == [near.id, far.id]
    assert request.ref in sent_to(far.members[0].phone)[0].body


def test_status_callback_without_fields_is_a_clear_400(app, client, ctx):
    response = signed_post(client, app, "/twilio/status", {"AccountSid": "AC" + "0" * 32})
    assert response.status_code == 400 and b"MessageSid" in response.data


def test_healthz_reports_database_and_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"database": "ok", "redis": "ok"}
