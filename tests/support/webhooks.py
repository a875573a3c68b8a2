"""Post Twilio-shaped, correctly signed webhooks; run queued jobs the way a worker would."""
import itertools
from xml.etree import ElementTree

from rq import SimpleWorker
from twilio.request_validator import RequestValidator

from dispatch.runtime.queue import QUEUE_NAMES

_sids = itertools.count(1)


def signed_post(client, app, path, form, signature=None):
    """POST `form` to `path` with the X-Twilio-Signature Twilio would compute for it."""
    url = app.config["PUBLIC_BASE_URL"] + path
    if signature is None:
        signature = RequestValidator(app.config["TWILIO_AUTH_TOKEN"]).compute_signature(url, form)
    return client.post(path, data=form, headers={"X-Twilio-Signature": signature})


def sms_form(from_phone, body, sid=None, to="+864778512345"):
    """The fields Twilio posts for an inbound SMS."""
    sid = sid or f"SM{next(_sids):032x}"
    return {"MessageSid": sid, "SmsSid": sid, "AccountSid": "AC" + "0" * 32, "From": from_phone, "To": to,
            "Body": body, "NumMedia": "0", "NumSegments": "1", "ApiVersion": "2010-04-01"}


def twiml_messages(response) -> list[str]:
    """The texts of the <Message> elements of a TwiML answer."""
    root = ElementTree.fromstring(response.data)
    assert root.tag == "Response"
    return [element.text or "" for element in root.iter("Message")]


def run_queued_jobs(app) -> None:
    """Run every job that is due now on the real queue, in this process (not the scheduled ones)."""
    worker = SimpleWorker(list(QUEUE_NAMES), connection=app.extensions["hotline.queue"].connection)
    for _ in range(10):  # jobs enqueue jobs: dispatch -> send
        if not worker.work(burst=True, logging_level="WARNING"):
            break
