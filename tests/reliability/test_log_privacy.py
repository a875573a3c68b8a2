"""Logs as a log file holds them (a real handler and formatter): no whole phone number, no SMS body, no form,
in messages, in tracebacks of real database errors, or in the web server's access log."""
import threading

import pytest
import requests
from sqlalchemy import create_engine, text

from models import InboundMessage, db
from tests.support.stack import ServedApp, wait_until
from tests.support.webhooks import signed_post, sms_form

from .conftest import twilio_settings

PHONE = "+8613912345678"
SECRET_WORDS = "我家住在哈日根图嘎查第三户老阿妈摔倒了"


def test_the_traceback_of_a_duplicate_webhook_race_holds_no_number_and_no_body(app, client, ctx, log_file):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks")
    form = sms_form(PHONE, SECRET_WORDS)
    url = db.engine.url
    other = create_engine(url).connect()  # the twin delivery, in its own transaction
    other.execute(text("INSERT INTO inbound_message (provider_sid, from_phone, to_phone, body, received_at, "
                       "sender_kind, reply, form) VALUES (:sid, :phone, '', :body, now(), 'herder', '', '{}')"),
                  {"sid": form["MessageSid"], "phone": PHONE, "body": SECRET_WORDS})

    def commit_once_the_webhook_waits():
        waiting = "SELECT count(*) FROM pg_locks WHERE NOT granted"
        try:
            with create_engine(url).connect() as probe:
                wait_until(lambda: probe.execute(text(waiting)).scalar() > 0, 20, "the webhook to wait on the twin")
        finally:
            other.commit()  # whatever happened, never leave the webhook waiting

    twin = threading.Thread(target=commit_once_the_webhook_waits)
    twin.start()
    response = signed_post(client, app, "/twilio/sms", form)
    twin.join()
    other.close()
    assert response.status_code == 200
    assert db.session.query(InboundMessage).count() == 1  # one message, the twin's
    written = log_file.getvalue()
    assert "IntegrityError" in written and "Traceback" in written  # the race was logged, with its traceback...
    assert PHONE not in written and PHONE[3:] not in written  # ...but no whole number
    assert SECRET_WORDS not in written and "哈日根图" not in written  # and not what the herder wrote


def test_the_web_servers_access_log_masks_numbers(app, ctx, fake_twilio, tmp_path, log_file):
    web = ServedApp(twilio_settings(fake_twilio, INSTANCE_DIR=str(tmp_path)))
    try:
        requests.get(f"{web.base_url}/dashboard/login", params={"phone": PHONE, "next": "/dashboard/"}, timeout=10)
    finally:
        web.stop()
    written = log_file.getvalue()
    assert "GET /dashboard/login?phone=" in written and "5678" in written
    assert "13912345678" not in written
