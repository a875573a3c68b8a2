"""The Twilio gateway: SMS, offer and leader calls, and recordings through the real twilio client.

TWILIO_API_BASE aims the client at another server (tests, training). It knows this app's callback URLs,
so dispatch/ never builds a route.
"""
import re
from contextlib import contextmanager
from datetime import timedelta

import requests

from dispatch.messaging.gateway import SendError, Sent

from .twilio_rest import make_client, rebase

# Voice messages are fetched only from this account's recordings, so our credentials never go anywhere else.
RECORDING_URL = re.compile(r"https://api\.twilio\.com/2010-04-01/Accounts/(AC[0-9a-f]{32})/Recordings/RE[0-9a-f]{32}")
AUDIO_TYPES = {"audio/mpeg", "audio/mp3", "audio/wav", "audio/x-wav"}
MAX_RECORDING_BYTES = 20 * 1024 * 1024  # Twilio's longest recording (2 hours of 8 kHz MP3) is less
# Twilio error codes that no retry will cure: a bad or unreachable number, an opted-out recipient.
PERMANENT_CODES = {21211, 21214, 21408, 21610, 21612, 21614, 21617, 30003, 30004, 30005, 30006}


def callback_urls(public_base_url: str | None) -> dict[str, str | None]:
    """Where Twilio reports back: the webhook routes of this app under its public address."""
    base = public_base_url or ""
    return {"status": f"{base}/twilio/status" if base else None, "offer_call": f"{base}/twilio/voice/offer?call=",
            "leader_call": f"{base}/twilio/voice/leader?call=", "checkin_call": f"{base}/twilio/voice/checkin?call="}


@contextmanager
def twilio_errors():
    """Twilio's failures as SendError: bad numbers and opt-outs are permanent, a timeout leaves it in doubt
    (Twilio may have taken the request), anything else (5xx, 429, refused) may be tried again."""
    from twilio.base.exceptions import TwilioException, TwilioRestException

    try:
        yield
    except TwilioRestException as error:
        permanent = error.code in PERMANENT_CODES or (400 <= error.status < 500 and error.status != 429)
        raise SendError(f"Twilio {error.status}: {error.msg}", code=str(error.code or error.status),
                        permanent=permanent) from error
    except requests.exceptions.ReadTimeout as error:  # asked, no answer: Twilio may have it
        raise SendError("Twilio did not answer in time", code="timeout", in_doubt=True) from error
    except (TwilioException, OSError) as error:  # refused or unreachable: it never got the request
        raise SendError(f"Twilio unreachable: {type(error).__name__}", code="unreachable") from error


class TwilioGateway:
    """Sends through the real twilio client; TWILIO_API_BASE points it at a local server in tests.
    It knows this app's callback URLs, so dispatch/ never builds a route."""

    replies_inline = True  # the webhook's answer goes back in the response (TwiML; the simulator's JSON)
    voice = True

    def __init__(self, account_sid, auth_token, from_number, public_base_url, api_base=None, timeout=10):
        self.client = make_client(account_sid, auth_token, api_base, timeout)
        self.from_number = from_number
        self.urls = callback_urls(public_base_url)
        self.credentials, self.api_base, self.timeout = (account_sid, auth_token), api_base, timeout

    def fetch_recording(self, url: str) -> tuple[bytes, str] | None:
        """A voice message's audio, fetched with the account's credentials (Twilio protects recordings): only
        from this account's recordings on api.twilio.com, and only audio; None for anything else."""
        found = RECORDING_URL.fullmatch(url or "")
        if found is None or found.group(1) != self.credentials[0]:
            return None  # never send our credentials anywhere but our own account's recordings
        try:
            with requests.get(rebase(url, self.api_base) + ".mp3", auth=self.credentials, timeout=self.timeout,
                              stream=True, allow_redirects=False) as response:
                kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                if response.status_code != 200 or kind not in AUDIO_TYPES:
                    return None
                audio = response.raw.read(MAX_RECORDING_BYTES + 1, decode_content=True)
        except (requests.RequestException, OSError):
            return None
        return (audio, kind) if len(audio) <= MAX_RECORDING_BYTES else None

    def send(self, to: str, body: str) -> Sent:
        """Send one SMS through Twilio; delivery reports go to the status webhook when the public address is known."""
        options = {"status_callback": self.urls["status"]} if self.urls["status"] else {}
        with twilio_errors():
            message = self.client.messages.create(to=to, from_=self.from_number, body=body, **options)
        return Sent(provider_sid=message.sid)

    def find_sent(self, to: str, body: str, since) -> Sent | None:
        """Look through Twilio's message log for this text (an earlier attempt that timed out may have landed)."""
        for message in self.client.messages.list(to=to, from_=self.from_number,
                                                 date_sent_after=since - timedelta(minutes=5), limit=100):
            if message.body == body:
                return Sent(provider_sid=message.sid)
        return None

    def read_offer(self, to: str, call_id: int) -> Sent:
        """Ring a duty member; when answered Twilio fetches the offer call's TwiML (POST) and reads it."""
        return self._ring(to, f"{self.urls['offer_call']}{call_id}")

    def read_escalation(self, to: str, call_id: int) -> Sent:
        """Ring a leader whose escalation SMS did not arrive; when answered Twilio fetches the leader call's TwiML."""
        return self._ring(to, f"{self.urls['leader_call']}{call_id}")

    def read_checkin(self, to: str, call_id: int) -> Sent:
        """Ring a household on the register; when answered Twilio fetches the check-in call's TwiML."""
        return self._ring(to, f"{self.urls['checkin_call']}{call_id}")

    def _ring(self, to: str, url: str) -> Sent:
        status = self.urls["status"]  # its status callbacks say whether the call was answered
        options = {"status_callback": status, "status_callback_method": "POST"} if status else {}
        with twilio_errors():
            call = self.client.calls.create(to=to, from_=self.from_number, url=url, method="POST", timeout=30,
                                            **options)
        return Sent(provider_sid=call.sid)

