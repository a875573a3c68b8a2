"""The SMS gateway interface. dispatch/ sends through this and never imports a provider's library.

An implementation (Twilio, the console, a domestic SMS API, a GSM modem) offers `send`.
"""
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Sent:
    """The provider's id for an SMS or call it took; its status callbacks name the message or call by it."""

    provider_sid: str


class SendError(Exception):
    """The send did not succeed. `permanent` errors (bad number, unsubscribed) are not retried;
    `in_doubt` means no answer came back (a timeout), so the provider may have the message after all."""

    def __init__(self, message: str, code: str | None = None, permanent: bool = False, in_doubt: bool = False):
        super().__init__(message)
        self.code = code
        self.permanent = permanent
        self.in_doubt = in_doubt


class SmsGateway(Protocol):
    """What dispatch/ needs of an SMS provider: send a text, and look for one an attempt in doubt may have sent."""

    def send(self, to: str, body: str) -> Sent:
        """Hand one SMS to the provider (it reports delivery to this app's status webhook); raise SendError
        when it refuses or does not answer."""

    def find_sent(self, to: str, body: str, since: datetime) -> Sent | None:
        """The provider's record of this text to `to` since `since`, if it has one (after an attempt in doubt)."""


class VoiceGateway(Protocol):
    """Placing a call: the provider asks this app what to say when it is answered."""

    def read_offer(self, to: str, call_id: int) -> Sent:
        """Ask the provider to ring a duty member and read them offer call `call_id`; SendError when it refuses."""
