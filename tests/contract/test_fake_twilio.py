"""Contract tests: the real twilio client against FakeTwilio, and FakeTwilio against Twilio's OpenAPI."""
import json
import re
import subprocess
import sys
import threading
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from hotline.gateways.twilio_rest import make_client
from tests.support.fake_twilio import FakeTwilio

REPO_ROOT = Path(__file__).resolve().parents[2]
OPENAPI = Path(__file__).resolve().parents[3] / "shared" / "data" / "twilio" / "twilio_api_v2010.json"
TO, FROM = "+15551230001", "+15559870000"
CHINESE_71 = "您好" * 35 + "的"  # 71 chars: over one UCS-2 segment (70), so 2 segments


@pytest.fixture
def fake():
    with FakeTwilio() as server:
        yield server


@pytest.fixture
def client(fake):
    return make_client(fake.account_sid, fake.auth_token, api_base=fake.base_url)


@pytest.fixture
def bodies(client):
    """Every JSON body the fake answers to `client`, captured through a requests response hook."""
    captured = []
    client.http_client.request_hooks = {"response": [lambda r, *a, **k: captured.append((r.url, r.json()))]}
    return captured


@pytest.fixture
def receiver():
    """A local HTTP endpoint standing in for our app's status-callback route; records each POST."""
    received = []

    def app(environ, start_response):
        req = Request(environ)
        received.append({"url": req.url, "form": req.form.to_dict(),
                         "signature": req.headers.get("X-Twilio-Signature")})
        return Response("", status=204)(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()
    server.server_close()


def _send(client, to=TO, **kw):
    return client.messages.create(to=to, from_=FROM, body=kw.pop("body", "hello"), **kw)


# ---- behaviour through the real twilio client ---------------------------------------------------
def test_make_client_sets_timeout(client):
    assert client.http_client.timeout == 10


def test_create_message_is_recorded(fake, client):
    msg = _send(client, body="Help is on the way", status_callback="http://app.test/status")
    assert re.fullmatch(r"SM[0-9a-f]{32}", msg.sid)
    assert (msg.status, msg.to, msg.from_, msg.num_segments) == ("queued", TO, FROM, "1")
    [rec] = fake.wait_for_messages(1)
    assert (rec["sid"], rec["to"], rec["from"], rec["body"], rec["status_callback"]) == (
        msg.sid, TO, FROM, "Help is on the way", "http://app.test/status")
    assert client.messages(msg.sid).fetch().body == "Help is on the way"


@pytest.mark.parametrize("body, segments", [
    ("a" * 160, "1"), ("a" * 161, "2"), ("a" * 306, "2"), ("a" * 307, "3"),
    ("[" * 80, "1"), ("[" * 81, "2"),  # GSM-7 extension chars cost two septets
    ("中" * 70, "1"), (CHINESE_71, "2"), ("😀" * 35, "1"), ("😀" * 36, "2"),
], ids=lambda v: f"{v[0]}x{len(v)}" if len(v) > 3 else v)
def test_num_segments(client, body, segments):
    assert _send(client, body=body).num_segments == segments


def test_chinese_71_chars_is_two_segments(client):
    assert len(CHINESE_71) == 71
    assert _send(client, body=CHINESE_71).num_segments == "2"


def test_invalid_to_is_21211(fake, client):
    with pytest.raises(TwilioRestException) as err:
        _send(client, to="12345")
    assert (err.value.status, err.value.code) == (400, 21211)
    assert fake.messages == [] and fake.failed_attempts[0]["code"] == 21211


def test_missing_body_is_21602(client):
    with pytest.raises(TwilioRestException) as err:
        client.messages.create(to=TO, from_=FROM)
    assert (err.value.status, err.value.code) == (400, 21602)


def test_missing_to_is_21604(fake):
    url = f"{fake.base_url}/2010-04-01/Accounts/{fake.account_sid}/Messages.json"
    resp = requests.post(url, data={"From": FROM, "Body": "x"}, auth=(fake.account_sid, fake.auth_token))
    assert resp.status_code == 400 and resp.json()["code"] == 21604


def test_wrong_auth_token_is_401_20003(fake):
    bad = make_client(fake.account_sid, "wrong-token", api_base=fake.base_url)
    with pytest.raises(TwilioRestException) as err:
        _send(bad)
    assert (err.value.status, err.value.code) == (401, 20003)


def test_other_account_in_path_is_404(fake):
    url = f"{fake.base_url}/2010-04-01/Accounts/AC{'f' * 32}/Messages.json"
    resp = requests.post(url, data={"To": TO, "From": FROM, "Body": "x"}, auth=(fake.account_sid, fake.auth_token))
    assert resp.status_code == 404 and resp.json()["code"] == 20404


def test_unknown_message_is_404(client):
    with pytest.raises(TwilioRestException) as err:
        client.messages("SM" + "0" * 32).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)


def test_fail_next_surfaces_500_then_recovers(fake, client):
    fake.fail_next(500, count=2)
    for _ in range(2):
        with pytest.raises(TwilioRestException) as err:
            _send(client)
        assert (err.value.status, err.value.code) == (500, 20500)
    assert _send(client).sid.startswith("SM")
    assert len(fake.messages) == 1 and [f["status"] for f in fake.failed_attempts] == [500, 500]


def test_fail_for_number(fake, client):
    fake.fail_for("+15550001111")
    with pytest.raises(TwilioRestException) as err:
        _send(client, to="+15550001111")
    assert (err.value.status, err.value.code) == (400, 21610)
    _send(client)
    assert [m["to"] for m in fake.messages] == [TO]


def test_delay_makes_responses_slow(fake):
    fake.delay(1)
    url = f"{fake.base_url}/2010-04-01/Accounts/{fake.account_sid}/Messages.json"
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.post(url, data={"To": TO, "From": FROM, "Body": "x"}, timeout=0.2)


def test_create_call(fake, client):
    call = client.calls.create(to=TO, from_=FROM, twiml="<Response><Say>Hi</Say></Response>",
                               status_callback="http://app.test/call-status")
    assert re.fullmatch(r"CA[0-9a-f]{32}", call.sid) and call.status == "queued"
    [rec] = fake.calls
    assert (rec["sid"], rec["to"], rec["twiml"]) == (call.sid, TO, "<Response><Say>Hi</Say></Response>")
    assert client.calls(call.sid).fetch().to == TO


def test_concurrent_sends(fake, client):
    threads = [threading.Thread(target=_send, args=(client,), kwargs={"body": f"n{i}"}) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got = fake.wait_for_messages(20, timeout=5)
    assert len({m["sid"] for m in got}) == 20 and {m["body"] for m in got} == {f"n{i}" for i in range(20)}


def test_wait_for_messages_times_out(fake):
    with pytest.raises(AssertionError, match="expected 1 messages"):
        fake.wait_for_messages(1, timeout=0.1)


def test_status_callback_is_signed(fake, client, receiver):
    base, received = receiver
    msg = _send(client, status_callback=f"{base}/twilio/status?x=1")
    assert fake.send_status(msg.sid, "undelivered", error_code=30003) == 204
    [cb] = received
    assert cb["form"]["MessageSid"] == cb["form"]["SmsSid"] == msg.sid
    assert cb["form"]["MessageStatus"] == cb["form"]["SmsStatus"] == "undelivered"
    assert (cb["form"]["ErrorCode"], cb["form"]["To"], cb["form"]["From"]) == ("30003", TO, FROM)
    assert RequestValidator(fake.auth_token).validate(cb["url"], cb["form"], cb["signature"])
    fetched = client.messages(msg.sid).fetch()
    assert (fetched.status, fetched.error_code) == ("undelivered", 30003)


def test_status_callback_url_base_override_keeps_signed_url(fake, client, receiver):
    base, received = receiver
    public_url = "https://hotline.example.org/twilio/status"
    msg = _send(client, status_callback=public_url)
    assert fake.send_status(msg.sid, "delivered", url_base_override=base) == 204
    [cb] = received
    assert cb["url"] == f"{base}/twilio/status" and "ErrorCode" not in cb["form"]
    assert RequestValidator(fake.auth_token).validate(public_url, cb["form"], cb["signature"])


def test_accepts_requests_from_another_process(fake):
    code = ("from hotline.gateways.twilio_rest import make_client; import sys; "
            "c = make_client(*sys.argv[1:4]); print(c.messages.create(to=sys.argv[4], from_=sys.argv[5], body='x').sid)")
    out = subprocess.run([sys.executable, "-c", code, fake.account_sid, fake.auth_token, fake.base_url, TO, FROM],
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert fake.wait_for_messages(1)[0]["sid"] == out.stdout.strip()


def test_runs_as_a_process():
    proc = subprocess.Popen([sys.executable, "-m", "tests.support.fake_twilio", "--port", "0"],
                            cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().split()
        assert line[0] == "READY"
        inproc = FakeTwilio()  # only for its default credentials
        client = make_client(inproc.account_sid, inproc.auth_token, api_base=line[1])
        sid = _send(client).sid
        assert [m["sid"] for m in requests.get(f"{line[1]}/_fake/state", timeout=5).json()["messages"]] == [sid]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# ---- the fake against Twilio's own OpenAPI description ----------------------------------------
@pytest.fixture(scope="module")
def openapi():
    if not OPENAPI.exists():
        pytest.skip(f"Twilio OpenAPI description not found at {OPENAPI} (it lives in shared/data/twilio)")
    return json.loads(OPENAPI.read_text())


def _resolve(spec, schema):
    while "$ref" in schema:  # only local refs ("#/components/schemas/...") occur here
        node = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _problems(spec, value, schema, where):
    """What is wrong with `value` under an OpenAPI 3.0 schema (types, enums, patterns, lengths)."""
    schema = _resolve(spec, schema)
    if value is None:
        return [] if schema.get("nullable") else [f"{where}: null but not nullable"]
    types = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "object": dict, "array": list}
    kind = schema.get("type")
    if kind and (not isinstance(value, types[kind]) or (kind in ("integer", "number") and isinstance(value, bool))):
        return [f"{where}: {value!r} is not {kind}"]
    out = []
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(f"{where}: {value!r} !~ {schema['pattern']}")
        if not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value)):
            out.append(f"{where}: length {len(value)} out of range")
        if schema.get("format") == "date-time-rfc-2822":
            try:
                parsedate_to_datetime(value)
            except (TypeError, ValueError):
                out.append(f"{where}: {value!r} is not RFC 2822")
    if kind == "object" and "properties" in schema:
        missing = set(schema["properties"]) - set(value)
        extra = set(value) - set(schema["properties"])
        out += [f"{where}: missing {sorted(missing)}"] * bool(missing) + [f"{where}: extra {sorted(extra)}"] * bool(extra)
        for name, sub in schema["properties"].items():
            if name in value:
                out += _problems(spec, value[name], sub, f"{where}.{name}")
    if kind == "array" and "items" in schema:
        for i, item in enumerate(value):
            out += _problems(spec, item, schema["items"], f"{where}[{i}]")
    return out


def test_responses_match_openapi_schemas(openapi, fake, client, bodies, receiver):
    msg = _send(client, status_callback=receiver[0] + "/status")
    client.messages(msg.sid).fetch()
    fake.send_status(msg.sid, "failed", error_code=30006)
    client.messages(msg.sid).fetch()
    client.messages.create(to=TO, messaging_service_sid="MG" + "a" * 32, body=CHINESE_71)
    call = client.calls.create(to=TO, from_=FROM, url="http://app.test/voice.xml")
    client.calls(call.sid).fetch()
    schemas = {"Messages": "api.v2010.account.message", "Calls": "api.v2010.account.call"}
    assert len(bodies) == 6
    for url, body in bodies:
        name = schemas[re.search(r"/(Messages|Calls)[/.]", url).group(1)]
        assert _problems(openapi, body, {"$ref": f"#/components/schemas/{name}"}, name) == [], url


@pytest.mark.parametrize("path, call, sent", [
    ("Messages.json", lambda c: _send(c, status_callback="http://app.test/status"),
     {"To", "From", "Body", "StatusCallback"}),
    ("Calls.json", lambda c: c.calls.create(to=TO, from_=FROM, url="http://app.test/v.xml"), {"To", "From", "Url"}),
])
def test_request_parameters_are_defined_by_openapi(openapi, fake, client, path, call, sent):
    op = openapi["paths"]["/2010-04-01/Accounts/{AccountSid}/" + path]["post"]
    form = _resolve(openapi, op["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"])
    call(client)
    params = (fake.messages or fake.calls)[0]["params"]
    assert set(params) == sent and set(params) <= set(form["properties"])
    assert set(form.get("required", [])) <= set(params)
