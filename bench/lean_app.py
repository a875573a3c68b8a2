"""The leanest intake of a herder's first text that keeps the design's rules, written by hand for
`bench/webhook.py` to measure (`gunicorn bench.lean_app:app`): not the product, and never served by it.

Like the hotline it checks Twilio's signature, asks who the phone is (a member? a leader? a request of
theirs open? their household and its place), stores the request with the raw message, its "received"
event and the answer in one transaction, queues the dispatch job with RQ, and answers with the reference.
Unlike the hotline it does it in two hand-written SQL statements and no ORM, and it knows only the one text
the benchmark sends: a rostered herder's first need. Anything else (a member, a leader, an open request, a
text that is no need) is refused with 422, not read: the readings the hotline tries in turn are not here.

How fast this can go is how fast any intake on this stack can go while it stores before it answers."""
import functools
import json
import secrets
from datetime import datetime, timezone

from flask import Flask, abort
from rq import Queue

from dispatch.conversation.parse import read_herder_message
from dispatch.messaging import texts

from .floor_app import connection, setup, twiml, verified_form

app = Flask(__name__)

# Who the phone is, in one round trip (the reader's member, leader and household look-ups, and herder.py's
# open requests).
WHO = """
SELECT (SELECT id FROM member WHERE phone = %(phone)s LIMIT 1),
       (SELECT id FROM leader WHERE phone = %(phone)s LIMIT 1),
       (SELECT id FROM request WHERE caller_phone = %(phone)s
          AND status IN ('received', 'offered', 'accepted', 'escalated') LIMIT 1),
       household.id, household.place_id, household.lat, household.lon, household.language, place.name
FROM (SELECT 1) AS one
LEFT JOIN household_phone ON household_phone.phone = %(phone)s
LEFT JOIN household ON household.id = household_phone.household_id
LEFT JOIN place ON place.id = household.place_id
LIMIT 1"""

# The request, the raw message (with the request and the answer), the event and the answer's record, in one
# statement and so one transaction; a reference drawn twice stores nothing and is drawn again.
STORE = """
WITH req AS (
  INSERT INTO request (ref, status, category, text, channel, caller_phone, language, household_id, place_id,
                       lat, lon, created_at, escalation_level, withheld)
  VALUES (%(ref)s, 'received', %(category)s, %(text)s, 'sms', %(phone)s, %(language)s, %(household)s, %(place)s,
          %(lat)s, %(lon)s, %(now)s, 0, false)
  ON CONFLICT (ref) DO NOTHING RETURNING id),
inbound AS (
  INSERT INTO inbound_message (provider_sid, from_phone, to_phone, body, received_at, sender_kind, request_id,
                               reply, form)
  SELECT %(sid)s, %(phone)s, %(to)s, %(body)s, %(now)s, 'herder', req.id, %(reply)s, %(form)s FROM req),
event AS (
  INSERT INTO event (request_id, at, kind, actor, detail)
  SELECT req.id, %(now)s, 'received', %(phone)s, %(detail)s FROM req),
answer AS (
  INSERT INTO outbound_message (key, to_phone, body, template, request_id, status, attempts, created_at, sent_at)
  SELECT 'reply-' || %(sid)s, %(phone)s, %(reply)s, 'reply', req.id, 'replied', 0, %(now)s, %(now)s FROM req)
SELECT id FROM req"""


@app.post("/twilio/sms")
def inbound_sms():
    """Verify, look up, store, queue, answer."""
    form = verified_form()
    phone, message = form.get("From", ""), read_herder_message(form.get("Body"))
    member, leader, open_request, household, place, lat, lon, language, place_name = connection().execute(
        WHO, {"phone": phone}).fetchone()
    if member or leader or open_request or household is None or message is None:
        abort(422)  # not the benchmark's text: the hotline would read it, this does not
    now = datetime.now(timezone.utc)
    for _ in range(5):
        ref = str(secrets.randbelow(900_000) + 100_000)
        reply = texts.render("ack", language, ref=ref)
        stored = connection().execute(STORE, {
            "ref": ref, "category": message.category, "text": message.text, "phone": phone, "language": language,
            "household": household, "place": place, "lat": lat, "lon": lon, "now": now,
            "sid": form.get("MessageSid"), "to": form.get("To", ""), "body": form.get("Body", ""), "reply": reply,
            "form": json.dumps(form),
            "detail": f"{texts.category_name(message.category, 'zh')}；{place_name}；{message.text}"}).fetchone()
        if stored is not None:
            break
    else:
        abort(503)
    _queue(setup().redis).enqueue("dispatch.runtime.jobs.dispatch_request", stored[0],
                                  job_id=f"dispatch-{stored[0]}-0")
    return twiml(reply)


@functools.cache
def _queue(redis_client) -> Queue:
    """RQ's queue, of its own name (no worker runs in the benchmark)."""
    return Queue("bench-lean", connection=redis_client)
