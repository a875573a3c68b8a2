"""A local stand-in for Twilio's REST API (Messages and Calls) for tests; no internet needed.

Point the real twilio library at it with ``hotline.gateways.twilio_rest.make_client(..., api_base=fake.base_url)``.
Responses mimic api.twilio.com/2010-04-01: same JSON resources, same error JSON and codes.
"""
import argparse
import json
import re
import secrets
import sys
import threading
import time
from datetime import datetime, timezone
from email.utils import format_datetime
from urllib.parse import urlsplit, urlunsplit

import requests
from twilio.request_validator import RequestValidator
from werkzeug.routing import Map, Rule
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

API_VERSION = "2010-04-01"
DEFAULT_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
DEFAULT_AUTH_TOKEN = "fake-auth-token"
DEFAULT_PROCESS_DELAY_SECONDS = 0.3  # as a process (benchmarks); in a test it answers at once
E164 = re.compile(r"^\+[0-9]{8,15}$")

# GSM 03.38: basic set costs one septet, extension set costs two (escape + char).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")


def num_segments(body):
    """Number of SMS segments for body: GSM-7 160/153 per segment, else UCS-2 70/67."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in body):
        costs, single, multi = [2 if c in GSM7_EXTENDED else 1 for c in body], 160, 153
    else:  # UCS-2 counts UTF-16 code units; an emoji is a surrogate pair
        costs, single, multi = [2 if ord(c) > 0xFFFF else 1 for c in body], 70, 67
    if sum(costs) <= single:
        return 1
    # Like real phones, never split an escape sequence or surrogate pair across segments.
    segments, used = 1, 0
    for cost in costs:
        if used + cost > multi:
            segments, used = segments + 1, 0
        used += cost
    return segments


def _sid(prefix):
    return prefix + secrets.token_hex(16)


def _now_rfc2822():
    return format_datetime(datetime.now(timezone.utc).replace(microsecond=0))


class _QuietHandler(WSGIRequestHandler):
    """Request handler that skips the per-request access log line (keeps test output readable)."""

    def log_request(self, *args, **kwargs):
        pass


class TwilioError(Exception):
    """An error answered in Twilio's JSON error format."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def response(self):
        """The HTTP response Twilio would send for this error."""
        body = {"code": self.code, "message": self.message,
                "more_info": f"https://www.twilio.com/docs/errors/{self.code}", "status": self.status}
        return Response(json.dumps(body), status=self.status, mimetype="application/json")


class FakeTwilio:
    """Threaded local HTTP server that records what it receives and can be told to fail."""

    def __init__(self, account_sid=DEFAULT_ACCOUNT_SID, auth_token=DEFAULT_AUTH_TOKEN):
        self.account_sid, self.auth_token = account_sid, auth_token
        self._cond = threading.Condition()  # guards all state below; notified on each new message
        self._server = self._thread = None
        self._url_map = Map([
            Rule("/2010-04-01/Accounts/<account>/Messages.json", endpoint="create_message", methods=["POST"]),
            Rule("/2010-04-01/Accounts/<account>/Messages.json", endpoint="list_messages", methods=["GET"]),
            Rule("/2010-04-01/Accounts/<account>/Messages/<sid>.json", endpoint="fetch_message", methods=["GET"]),
            Rule("/2010-04-01/Accounts/<account>/Calls.json", endpoint="create_call", methods=["POST"]),
            Rule("/2010-04-01/Accounts/<account>/Calls/<sid>.json", endpoint="fetch_call", methods=["GET"]),
            Rule("/2010-04-01/Accounts/<account>/Recordings/<sid>.mp3", endpoint="fetch_recording", methods=["GET"]),
            Rule("/_fake/state", endpoint="state", methods=["GET"]),  # lets another process inspect us
        ])
        self.reset()

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self, port=0):
        """Serve on 127.0.0.1 (port 0 = a free one) in a background thread; returns self."""
        self._server = make_server("127.0.0.1", port, self._wsgi, threaded=True,
                                   request_handler=_QuietHandler)
        # A short poll interval makes stop() quick (shutdown waits for the next poll).
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-twilio", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Stop serving and free the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    @property
    def base_url(self):
        """E.g. "http://127.0.0.1:4321"; pass it as make_client(api_base=...)."""
        return f"http://127.0.0.1:{self._server.server_port}"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ---- recording -------------------------------------------------------------------------
    def reset(self):
        """Forget everything received and cancel all injected faults and delays."""
        with self._cond:
            self._messages, self._calls, self._failed = [], [], []
            self._resources = {}  # sid -> JSON resource, for GET and status updates
            self._fail_next, self._fail_for, self._delay = [], {}, 0.0
            self._hang_after_create = 0.0
            self._recordings = {}
            self.recording_fetches = []

    @property
    def messages(self):
        """Accepted message requests in order: dicts with to, from, body, status_callback, sid, time, params."""
        with self._cond:
            return [dict(m) for m in self._messages]

    @property
    def calls(self):
        """Accepted call requests in order (like messages, plus url and twiml)."""
        with self._cond:
            return [dict(c) for c in self._calls]

    @property
    def failed_attempts(self):
        """Create requests that got an error response, with status and code added."""
        with self._cond:
            return [dict(f) for f in self._failed]

    def wait_for_messages(self, n, timeout=10):
        """Block until at least n messages were accepted; return them all."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._messages) >= n, timeout):
                raise AssertionError(f"expected {n} messages within {timeout}s, got {self._messages!r}")
            return [dict(m) for m in self._messages]

    # ---- fault injection -------------------------------------------------------------------
    def fail_next(self, status=500, code=20500, message="Internal Server Error", count=1):
        """Make the next `count` create requests (messages or calls) fail with this error."""
        with self._cond:
            self._fail_next.extend([TwilioError(status, code, message)] * count)

    def fail_for(self, to_number, status=400, code=21610,
                 message="Attempt to send to unsubscribed recipient"):
        """Make every message to `to_number` fail with this error (default: recipient opted out)."""
        with self._cond:
            self._fail_for[to_number] = TwilioError(status, code, message)

    def delay(self, seconds):
        """Sleep this long before answering every API request (0 turns it off)."""
        with self._cond:
            self._delay = float(seconds)

    def add_recording(self, sid, audio=b"ID3fake-mp3-audio", content_type="audio/mpeg"):
        """Keep a recording (served as `content_type`); returns its URL as Twilio gives it (on api.twilio.com,
        without an extension)."""
        with self._cond:
            self._recordings[sid] = (audio, content_type)
        return f"https://api.twilio.com/{API_VERSION}/Accounts/{self.account_sid}/Recordings/{sid}"

    def hang_after_create(self, seconds):
        """Take (record) each new message, then wait this long before answering: the client may time out
        or die not knowing the message went out. 0 turns it off."""
        with self._cond:
            self._hang_after_create = float(seconds)

    # ---- status callbacks ------------------------------------------------------------------
    def send_status(self, sid, status, error_code=None, url_base_override=None):
        """POST a signed status callback for message `sid`, as Twilio would; return the HTTP status.

        The signature covers the message's StatusCallback URL, exactly what Twilio signs;
        url_base_override only changes where the POST goes (scheme://host:port).
        """
        with self._cond:
            msg = self._resources.get(sid)
            record = next((m for m in self._messages if m["sid"] == sid), None)
            if msg is None or record is None:
                raise KeyError(f"unknown message sid {sid}")
            if not record["status_callback"]:
                raise ValueError(f"message {sid} was sent without a StatusCallback")
            # Update the stored resource so a later GET sees the new status, as on Twilio.
            msg.update(status=status, date_updated=_now_rfc2822(), error_code=error_code)
            msg["error_message"] = None if error_code is None else f"Error {error_code}"
            url = record["status_callback"]
        params = {"MessageSid": sid, "SmsSid": sid, "MessageStatus": status, "SmsStatus": status,
                  "To": msg["to"], "AccountSid": self.account_sid, "ApiVersion": API_VERSION}
        if msg["from"]:
            params["From"] = msg["from"]
        if msg["messaging_service_sid"]:
            params["MessagingServiceSid"] = msg["messaging_service_sid"]
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        signature = RequestValidator(self.auth_token).compute_signature(url, params)
        target = url
        if url_base_override:
            base = urlsplit(url_base_override)
            target = urlunsplit(urlsplit(url)._replace(scheme=base.scheme, netloc=base.netloc))
        resp = requests.post(target, data=params, headers={"X-Twilio-Signature": signature}, timeout=10)
        return resp.status_code

    # ---- HTTP handling ---------------------------------------------------------------------
    def _wsgi(self, environ, start_response):
        request = Request(environ)
        try:
            endpoint, args = self._url_map.bind_to_environ(environ).match()
        except Exception:  # unknown path or method: Twilio answers 20404 either way
            return TwilioError(404, 20404, f"The requested resource {request.path} was not found") \
                .response()(environ, start_response)
        with self._cond:
            delay = self._delay
        if delay and endpoint != "state":
            time.sleep(delay)
        try:
            response = getattr(self, "_" + endpoint)(request, **args)
        except TwilioError as err:
            response = err.response()
        return response(environ, start_response)

    def _check_auth(self, request, account):
        auth = request.authorization
        if not auth or auth.username != self.account_sid or auth.password != self.auth_token:
            raise TwilioError(401, 20003, "Authenticate")
        if account != self.account_sid:
            raise TwilioError(404, 20404, f"The requested resource {request.path} was not found")

    def _create(self, request, account, kind, validate, build):
        """Shared flow of a create request: auth, injected faults, validation, record, 201."""
        form = request.form
        params = {k: (v[0] if len(v) == 1 else v) for k, v in form.lists()}
        record = {"to": form.get("To"), "from": form.get("From"), "body": form.get("Body"),
                  "status_callback": form.get("StatusCallback"), "sid": None,
                  "time": time.time(), "params": params}
        if kind == "calls":  # calls also keep what the call would run
            record.update(url=form.get("Url"), twiml=form.get("Twiml"))
        try:
            self._check_auth(request, account)
            with self._cond:
                if self._fail_next:
                    raise self._fail_next.pop(0)
                blocked = self._fail_for.get(record["to"]) if kind == "messages" else None
            validate(form)
            if blocked:
                raise blocked
        except TwilioError as err:
            with self._cond:
                self._failed.append(dict(record, kind=kind, status=err.status, code=err.code))
            raise
        resource = build(form)
        record["sid"] = resource["sid"]
        with self._cond:
            self._resources[resource["sid"]] = resource
            (self._messages if kind == "messages" else self._calls).append(record)
            self._cond.notify_all()
            hang = self._hang_after_create if kind == "messages" else 0.0
        if hang:
            time.sleep(hang)
        return Response(json.dumps(resource), status=201, mimetype="application/json")

    def _create_message(self, request, account):
        def validate(form):
            if not form.get("To"):
                raise TwilioError(400, 21604, "A 'To' phone number is required.")
            if not E164.match(form["To"]):
                raise TwilioError(400, 21211, f"Invalid 'To' Phone Number: {form['To']}")
            if not form.get("From") and not form.get("MessagingServiceSid"):
                raise TwilioError(400, 21603, "A 'From' phone number is required.")
            if not form.get("Body"):
                raise TwilioError(400, 21602, "Message body is required.")

        def build(form):
            sid, now = _sid("SM"), _now_rfc2822()
            uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}"
            return {
                "account_sid": self.account_sid, "api_version": API_VERSION, "body": form["Body"],
                "date_created": now, "date_sent": now, "date_updated": now,
                "direction": "outbound-api", "error_code": None, "error_message": None,
                "from": form.get("From"), "messaging_service_sid": form.get("MessagingServiceSid"),
                "num_media": "0", "num_segments": str(num_segments(form["Body"])),
                "price": None, "price_unit": "USD", "sid": sid, "status": "queued",
                "subresource_uris": {"media": f"{uri}/Media.json", "feedback": f"{uri}/Feedback.json"},
                "to": form["To"], "uri": f"{uri}.json",
            }

        return self._create(request, account, "messages", validate, build)

    def _create_call(self, request, account):
        def validate(form):
            if not form.get("To"):
                raise TwilioError(400, 21201, "No 'To' number is specified")
            if not E164.match(form["To"]):
                raise TwilioError(400, 21211, f"Invalid 'To' Phone Number: {form['To']}")
            if not form.get("From"):
                raise TwilioError(400, 21213, "No 'From' number is specified")
            if not form.get("Url") and not form.get("Twiml") and not form.get("ApplicationSid"):
                raise TwilioError(400, 21205, "Url parameter is required.")

        def build(form):
            sid, now = _sid("CA"), _now_rfc2822()
            uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Calls/{sid}"
            subs = ["notifications", "recordings", "payments", "events", "siprec", "streams",
                    "transcriptions", "user_defined_message_subscriptions", "user_defined_messages"]
            names = {"user_defined_message_subscriptions": "UserDefinedMessageSubscriptions",
                     "user_defined_messages": "UserDefinedMessages"}
            return {
                "account_sid": self.account_sid, "answered_by": None, "api_version": API_VERSION,
                "caller_name": None, "date_created": now, "date_updated": now,
                "direction": "outbound-api", "duration": None, "end_time": None,
                "forwarded_from": None, "from": form["From"], "from_formatted": form["From"],
                "group_sid": None, "parent_call_sid": None, "phone_number_sid": None,
                "price": None, "price_unit": "USD", "queue_time": "0", "sid": sid,
                "start_time": None, "status": "queued", "to": form["To"], "to_formatted": form["To"],
                "trunk_sid": None, "uri": f"{uri}.json",
                "subresource_uris": {s: f"{uri}/{names.get(s, s.capitalize())}.json" for s in subs},
            }

        return self._create(request, account, "calls", validate, build)

    def _fetch(self, request, account, sid, prefix):
        self._check_auth(request, account)
        with self._cond:
            resource = self._resources.get(sid) if sid.startswith(prefix) else None
            if resource is None:
                raise TwilioError(404, 20404, f"The requested resource {request.path} was not found")
            return Response(json.dumps(resource), status=200, mimetype="application/json")

    def _list_messages(self, request, account):
        """GET Messages.json filtered by To, From and DateSent> (ISO 8601), newest first, one page."""
        self._check_auth(request, account)
        args = request.args
        after = args.get("DateSent>")
        after_ts = datetime.fromisoformat(after.replace("Z", "+00:00")).timestamp() if after else None
        with self._cond:
            found = [self._resources[m["sid"]] for m in reversed(self._messages)
                     if (not args.get("To") or m["to"] == args["To"])
                     and (not args.get("From") or m["from"] == args["From"])
                     and (after_ts is None or m["time"] >= after_ts)]
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages.json"
        page = {"messages": found, "end": max(len(found) - 1, 0), "first_page_uri": uri, "next_page_uri": None,
                "page": 0, "page_size": max(len(found), 50), "previous_page_uri": None, "start": 0, "uri": uri}
        return Response(json.dumps(page), status=200, mimetype="application/json")

    def _fetch_recording(self, request, account, sid):
        with self._cond:
            self.recording_fetches.append(request.path)  # who asked for what, with our credentials or not
        self._check_auth(request, account)  # Twilio protects recordings with the account's credentials
        with self._cond:
            audio = self._recordings.get(sid)
        if audio is None:
            raise TwilioError(404, 20404, f"The requested resource {request.path} was not found")
        return Response(audio[0], status=200, content_type=audio[1])

    def _fetch_message(self, request, account, sid):
        return self._fetch(request, account, sid, "SM")

    def _fetch_call(self, request, account, sid):
        return self._fetch(request, account, sid, "CA")

    def _state(self, request):
        state = {"messages": self.messages, "calls": self.calls, "failed_attempts": self.failed_attempts}
        return Response(json.dumps(state), mimetype="application/json")


def main(argv=None):
    """Run the fake as a process: print "READY <base_url>" and serve until killed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--account-sid", default=DEFAULT_ACCOUNT_SID)
    parser.add_argument("--auth-token", default=DEFAULT_AUTH_TOKEN)
    # A real provider takes a few hundred milliseconds to answer; the stand-in as a process does too, by default.
    parser.add_argument("--delay", type=float, default=DEFAULT_PROCESS_DELAY_SECONDS,
                        help="seconds to wait before answering each API request (default %(default)s)")
    args = parser.parse_args(argv)
    fake = FakeTwilio(args.account_sid, args.auth_token).start(args.port)
    fake.delay(args.delay)
    print(f"READY {fake.base_url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
