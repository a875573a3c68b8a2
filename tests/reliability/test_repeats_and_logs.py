"""Webhooks delivered twice, at once or out of order change nothing the second time; logs keep no secrets."""
import logging
import threading

from sqlalchemy import select

from models import InboundMessage, OutboundMessage, OutboundStatus, Request, db
from tests.support.webhooks import run_queued_jobs, signed_post, sms_form


def test_same_sms_delivered_twice_at_the_same_moment_makes_one_request(app, ctx, make):
    herder = make.household()
    db.session.commit()
    form = sms_form(herder.phones[0].phone, "送药")
    barrier, codes = threading.Barrier(2), []

    def deliver():
        with app.test_client() as client:
            barrier.wait()
            codes.append(signed_post(client, app, "/twilio/sms", form).status_code)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    db.session.expire_all()
    assert codes == [200, 200]
    assert db.session.query(InboundMessage).count() == 1 and db.session.query(Request).count() == 1


def a_sent_offer_sms(app, client, make) -> OutboundMessage:
    """A herder's text, dispatched: the offer SMS to the one team member, handed to the gateway."""
    gacha = make.gacha()
    herder = make.household(place=gacha)
    make.team(place=gacha)
    db.session.commit()
    signed_post(client, app, "/twilio/sms", sms_form(herder.phones[0].phone, "1"))
    run_queued_jobs(app)
    return db.session.scalar(select(OutboundMessage).where(OutboundMessage.status == OutboundStatus.sent))


def test_status_callbacks_repeated_or_out_of_order_change_nothing(app, client, ctx, make):
    message = a_sent_offer_sms(app, client, make)

    def report(status):
        form = {"MessageSid": message.provider_sid, "MessageStatus": status, "AccountSid": "AC" + "0" * 32}
        assert signed_post(client, app, "/twilio/status", form).status_code == 204

    for status in ["delivered", "sent", "delivered", "queued", "delivered"]:  # late and repeated reports
        report(status)
    db.session.expire_all()
    assert message.status == OutboundStatus.delivered
    assert [h.status for h in message.history] == ["sent", "delivered", "queued"]  # "sent" once: from our send


def test_logs_hold_no_auth_token_and_no_whole_phone_number(app, client, ctx, make, caplog):
    caplog.set_level(logging.INFO)
    gacha = make.gacha()
    herder = make.household(place=gacha)
    team = make.team(place=gacha)
    db.session.commit()
    phones = [herder.phones[0].phone, team.members[0].phone]
    signed_post(client, app, "/twilio/sms", sms_form(phones[0], "1"))
    run_queued_jobs(app)
    signed_post(client, app, "/twilio/sms", sms_form(phones[1], "1"))
    run_queued_jobs(app)
    logging.getLogger("dispatch.test").warning("token %s and phone %s", app.config["TWILIO_AUTH_TOKEN"], phones[0])
    text = caplog.text
    assert "SMS to" in text  # the console gateway did log the sends...
    assert phones[0][-4:] in text
    for phone in phones:
        assert phone not in text and phone[3:] not in text  # ...but never a whole number
    assert app.config["TWILIO_AUTH_TOKEN"] not in text


def test_a_status_report_that_beats_our_own_record_of_the_sid_is_kept(app, client, ctx, make):
    from dispatch.messaging import delivery
    from dispatch.runtime.unit_of_work import utcnow

    message = a_sent_offer_sms(app, client, make)
    message.status, message.provider_sid = OutboundStatus.sending, None  # as while the worker waits on Twilio
    db.session.commit()
    form = {"MessageSid": "SM" + "e" * 32, "MessageStatus": "delivered", "AccountSid": "AC" + "0" * 32}
    assert signed_post(client, app, "/twilio/status", form).status_code == 204
    assert signed_post(client, app, "/twilio/status", form).status_code == 204  # and again: kept once
    delivery.record_sent(db.session, message.id, "SM" + "e" * 32, utcnow())
    db.session.commit()
    db.session.expire_all()
    assert message.status == OutboundStatus.delivered
    assert [h.status for h in message.history].count("delivered") == 1
