"""The SMS gateway interface. dispatch/ sends through this and never imports a provider's library.

An implementation (Twilio, the console, a GSM modem through Gammu, a domestic SMS API) offers `send` and
`find_sent`, and says what else it can do: `replies_inline` (the provider sends a webhook's answer from the
response itself, as Twilio's TwiML does; otherwise the answer is an ordinary recorded SMS) and `voice` (it can
ring people; a modem cannot, so calls to members become SMS). Whatever the provider, an inbound SMS takes one
path (hotline/sms.py: stored first, then acted on) and its delivery reports one history
(dispatch/ladder/undelivered.record_report).
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

    replies_inline: bool  # the provider sends a webhook's answer itself (TwiML); else it is sent as an SMS
    voice: bool  # the provider can place calls (read_offer) and runs a voice line

    def send(self, to: str, body: str) -> Sent:
        """Hand one SMS to the provider (it reports delivery to this app's status webhook); raise SendError
        when it refuses or does not answer."""

    def find_sent(self, to: str, body: str, since: datetime) -> Sent | None:
        """The provider's record of this text to `to` since `since`, if it has one (after an attempt in doubt)."""


class VoiceGateway(Protocol):
    """Placing a call: the provider asks this app what to say when it is answered."""

    def read_offer(self, to: str, call_id: int) -> Sent:
        """Ask the provider to ring a duty member and read them offer call `call_id`; SendError when it refuses."""

    def read_escalation(self, to: str, call_id: int) -> Sent:
        """Ask the provider to ring a leader and read them leader call `call_id`; SendError when it refuses."""

    def read_checkin(self, to: str, call_id: int) -> Sent:
        """Ask the provider to ring a household for its check-in call `call_id`; SendError when it refuses."""
