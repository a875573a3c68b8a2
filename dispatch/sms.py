"""The SMS gateway interface. dispatch/ sends through this and never imports a provider's library.

An implementation (Twilio, the console, a domestic SMS API, a GSM modem) offers `send`.
"""
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Sent:
    provider_sid: str


class SendError(Exception):
    """The provider did not take the message. `permanent` errors (bad number, unsubscribed) are not retried."""

    def __init__(self, message: str, code: str | None = None, permanent: bool = False):
        super().__init__(message)
        self.code = code
        self.permanent = permanent


class SmsGateway(Protocol):
    def send(self, to: str, body: str, status_callback: str | None) -> Sent:
        """Hand one SMS to the provider; raise SendError when it refuses."""
