"""Every /twilio/* route, fuzzed with correctly signed hostile requests: the answer is always well-formed
TwiML (or a plain 204 / 400), never a 500, and a signed inbound SMS is always stored."""
import tempfile
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline import create_app
from models import InboundMessage, db
from tests.conftest import _settings
from tests.support.webhooks import signed_post

HOSTILE_TEXT = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(min_codepoint=0x1800, max_codepoint=0x18AF), max_size=100),  # Mongolian script
    st.sampled_from(["", " ", "\x00", "\x00\x01\x1b[31m", "'; DROP TABLE request; --", "<script>alert(1)</script>",
                     "]]><Say>hi</Say>", "😀" * 50, "１２３", "9" * 5000, "x" * 10_000, "1 4821", "DONE 9999",
                     "+8613912345678", "+15005550006", "+447700900123", "abc", "-1", "٣"]),
)
FIELDS = ["MessageSid", "SmsSid", "AccountSid", "From", "To", "Body", "NumMedia", "MessageStatus", "SmsStatus",
          "ErrorCode", "CallSid", "CallStatus", "Digits", "SpeechResult", "RecordingUrl", "RecordingSid",
          "DialCallStatus", "Caller", "Called", "FromCountry"]
FORMS = st.dictionaries(st.sampled_from(FIELDS), HOSTILE_TEXT, max_size=len(FIELDS))


def twilio_routes(app) -> list[str]:
    """Every fixed POST route under /twilio: webhooks added later are fuzzed too."""
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if rule.rule.startswith("/twilio") and "POST" in rule.methods and not rule.arguments)


def assert_well_formed(response):
    assert response.status_code in (200, 204, 400), (response.status_code, response.data[:300])
    if response.status_code == 200:
        root = ElementTree.fromstring(response.data)  # raises on anything that is not XML
        assert root.tag == "Response"


# Read from an app built only to list its routes: every webhook there is, now and later, gets fuzzed.
ROUTES = twilio_routes(create_app(_settings(INSTANCE_DIR=tempfile.mkdtemp())))


@pytest.mark.parametrize("route", ROUTES)
def test_signed_hostile_requests_never_break_a_webhook(app, client, ctx, route):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(form=FORMS)
    def fuzz(form):
        assert_well_formed(signed_post(client, app, route, form))

    fuzz()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=FORMS, body=HOSTILE_TEXT, sender=HOSTILE_TEXT)
def test_every_signed_sms_is_stored(app, client, ctx, form, body, sender):
    form = dict(form, Body=body, From=sender)
    before = db.session.query(InboundMessage).count()
    sid = (form.get("MessageSid") or form.get("SmsSid") or "").replace("\x00", "\ufffd")
    seen_sid = bool(sid) and db.session.query(InboundMessage).filter_by(provider_sid=sid).count() > 0
    response = signed_post(client, app, "/twilio/sms", form)
    assert_well_formed(response)
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.query(InboundMessage).count() in (before, before + 1)  # repeats store nothing new
    if not seen_sid:  # a MessageSid seen before is the same message delivered again: nothing new is stored
        stored_body = body.replace("\x00", "\ufffd")  # PostgreSQL takes no NUL; it is shown, not dropped
        assert db.session.query(InboundMessage).filter_by(body=stored_body).count() >= 1
