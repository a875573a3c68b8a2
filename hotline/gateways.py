"""SMS gateways: Twilio for production, the console for the simulator. dispatch/ sees only `send`."""
import logging
import uuid
from datetime import timedelta

import requests

from dispatch.phones import mask
from dispatch.sms import SendError, Sent

log = logging.getLogger(__name__)

# Twilio error codes that no retry will cure: a bad or unreachable number, an opted-out recipient.
PERMANENT_CODES = {21211, 21214, 21408, 21610, 21612, 21614, 21617, 30003, 30004, 30005, 30006}


class TwilioGateway:
    """Sends through the real twilio client; TWILIO_API_BASE points it at a local server in tests."""

    def __init__(self, account_sid, auth_token, from_number, api_base=None, timeout=10):
        from .twilio_client import make_client

        self.client = make_client(account_sid, auth_token, api_base, timeout)
        self.from_number = from_number

    def send(self, to: str, body: str, status_callback: str | None) -> Sent:
        from twilio.base.exceptions import TwilioException, TwilioRestException

        options = {"status_callback": status_callback} if status_callback else {}
        try:
            message = self.client.messages.create(to=to, from_=self.from_number, body=body, **options)
        except TwilioRestException as error:
            permanent = error.code in PERMANENT_CODES or (400 <= error.status < 500 and error.status != 429)
            raise SendError(f"Twilio {error.status}: {error.msg}", code=str(error.code or error.status),
                            permanent=permanent) from error
        except requests.exceptions.ReadTimeout as error:  # asked, no answer: Twilio may have it
            raise SendError("Twilio did not answer in time", code="timeout", in_doubt=True) from error
        except (TwilioException, OSError) as error:  # refused or unreachable: it never got the message
            raise SendError(f"Twilio unreachable: {type(error).__name__}", code="unreachable") from error
        return Sent(provider_sid=message.sid)

    def find_sent(self, to: str, body: str, since) -> Sent | None:
        """Look through Twilio's message log for this text (an earlier attempt that timed out may have landed)."""
        for message in self.client.messages.list(to=to, from_=self.from_number,
                                                 date_sent_after=since - timedelta(minutes=5), limit=100):
            if message.body == body:
                return Sent(provider_sid=message.sid)
        return None

    def call(self, to: str, url: str, status_callback: str | None) -> Sent:
        """Ring `to`; when answered Twilio fetches `url` (POST) for the TwiML to play."""
        from twilio.base.exceptions import TwilioException, TwilioRestException

        options = {"status_callback": status_callback, "status_callback_method": "POST"} if status_callback else {}
        try:
            call = self.client.calls.create(to=to, from_=self.from_number, url=url, method="POST", timeout=30,
                                            **options)
        except TwilioRestException as error:
            permanent = error.code in PERMANENT_CODES or (400 <= error.status < 500 and error.status != 429)
            raise SendError(f"Twilio {error.status}: {error.msg}", code=str(error.code or error.status),
                            permanent=permanent) from error
        except (TwilioException, OSError) as error:  # refused, unreachable or timed out: the job retries
            raise SendError(f"Twilio unreachable: {type(error).__name__}", code="unreachable") from error
        return Sent(provider_sid=call.sid)


class ConsoleGateway:
    """Sends nowhere: logs the text. The simulator shows it from the outbound message table."""

    def send(self, to: str, body: str, status_callback: str | None) -> Sent:
        log.info("SMS to %s: %s", mask(to), body)
        return Sent(provider_sid="SMconsole" + uuid.uuid4().hex)

    def find_sent(self, to: str, body: str, since) -> Sent | None:
        return None  # the console never loses a message

    def call(self, to: str, url: str, status_callback: str | None) -> Sent:
        """Rings nobody: logs the call. The simulator's keypad can answer it."""
        log.info("call to %s: %s", mask(to), url)
        return Sent(provider_sid="CAconsole" + uuid.uuid4().hex)


def init_app(app):
    if app.config["SMS_BACKEND"] == "twilio":
        gateway = TwilioGateway(app.config["TWILIO_ACCOUNT_SID"], app.config["TWILIO_AUTH_TOKEN"],
                                app.config["TWILIO_FROM_NUMBER"], app.config["TWILIO_API_BASE"],
                                app.config["SEND_TIMEOUT_SECONDS"])
    else:
        gateway = ConsoleGateway()
    app.extensions["hotline.sms_gateway"] = gateway
