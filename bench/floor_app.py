"""The floor `bench/webhook.py` measures beside the bare ceiling: the least any intake that keeps the hotline's
rules can do (`gunicorn bench.floor_app:app`). It checks Twilio's signature, stores the raw form with one
INSERT in its own committed transaction (stored before answering; a repeated MessageSid once), pushes the
new row's id to Redis (the worker's queue), and answers with the same TwiML as the bare route. It reads
nothing: it does not know who texted or what the text means, so it could not give a herder a reference, a
member an acceptance or a leader their list. Whatever the hotline does above this floor is the reading.

DATABASE_URL (PostgreSQL, holding `bench_floor_inbound`, which bench/webhook.py creates), REDIS_URL,
TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL come from the environment, as for wsgi:app."""
import functools
import json
import os
import threading
from typing import NamedTuple

import psycopg
import redis
from flask import Flask, Response, abort, request
from sqlalchemy.engine import make_url
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from dispatch.messaging.texts import render

TABLE = "bench_floor_inbound"
app = Flask(__name__)
_connections = threading.local()  # one connection per gunicorn thread, as a pool would hand out


class Setup(NamedTuple):
    """What every request of the floor and the lean route uses, made once."""

    validator: RequestValidator
    redis: redis.Redis
    url: str  # the URL Twilio signed
    dsn: str  # psycopg's spelling of DATABASE_URL


@functools.cache
def setup() -> Setup:
    """Read from the environment once, on the first request (bench/webhook.py imports TABLE without it)."""
    dsn = make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql").render_as_string(hide_password=False)
    return Setup(RequestValidator(os.environ["TWILIO_AUTH_TOKEN"]), redis.Redis.from_url(os.environ["REDIS_URL"]),
                 os.environ["PUBLIC_BASE_URL"] + "/twilio/sms", dsn)


def connection() -> psycopg.Connection:
    """This thread's connection, in autocommit: each statement is its own committed transaction."""
    if getattr(_connections, "db", None) is None:
        _connections.db = psycopg.connect(setup().dsn, autocommit=True)
    return _connections.db


def verified_form() -> dict:
    """The posted form, once Twilio's signature on it checks out (403 otherwise, as the hotline answers)."""
    form = request.form.to_dict()
    if not setup().validator.validate(setup().url, form, request.headers.get("X-Twilio-Signature", "")):
        abort(403)
    return form


@app.post("/twilio/sms")
def inbound_sms():
    """Verify, store raw, queue, answer."""
    form = verified_form()
    stored = connection().execute(  # a provider's retry of the same MessageSid is stored once, answered again
        f"INSERT INTO {TABLE} (sid, from_phone, body, form) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (sid) DO NOTHING RETURNING id",
        (form.get("MessageSid"), form.get("From"), form.get("Body"), json.dumps(form))).fetchone()
    if stored is not None:
        setup().redis.lpush("bench-floor", stored[0])
    return twiml(render("ack", "zh", ref="4821"))


def twiml(text: str) -> Response:
    """The TwiML answer carrying `text`, built as the hotline builds it."""
    response = MessagingResponse()
    response.message(text)
    return Response(str(response), mimetype="application/xml")
