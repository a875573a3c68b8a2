"""The console gateway: sends nowhere and logs that it did; the simulator shows every SMS from the message table.
The text itself is never logged: it may be a herder's words or a sign-in code."""
import logging
import uuid

from dispatch.messaging.gateway import Sent
from dispatch.messaging.phones import mask

log = logging.getLogger(__name__)


class ConsoleGateway:
    """Sends nowhere: logs the masked number. The simulator shows the text from the outbound message table."""

    replies_inline = True  # the webhook's answer goes back in the response (TwiML; the simulator's JSON)
    voice = True

    def send(self, to: str, body: str) -> Sent:
        """Log (the masked number and the length) instead of sending, and hand back a made-up provider id."""
        log.info("SMS to %s (%d characters; the text is in /simulator)", mask(to), len(body))
        return Sent(provider_sid="SMconsole" + uuid.uuid4().hex)

    def find_sent(self, to: str, body: str, since) -> Sent | None:
        """Nothing to find: a console send never ends in doubt."""
        return None  # the console never loses a message

    def fetch_recording(self, url: str) -> tuple[bytes, str] | None:
        """No audio: the simulator records no voice messages."""
        return None  # the simulator records nothing

    def read_offer(self, to: str, call_id: int) -> Sent:
        """Rings nobody: logs the call. The simulator's keypad can answer it."""
        return self._ring(to, "offer", call_id)

    def read_escalation(self, to: str, call_id: int) -> Sent:
        """Rings nobody: logs the call. The simulator's keypad can answer it."""
        return self._ring(to, "leader", call_id)

    def read_checkin(self, to: str, call_id: int) -> Sent:
        """Rings nobody: logs the call. The simulator's keypad can answer it."""
        return self._ring(to, "checkin", call_id)

    def _ring(self, to: str, kind: str, call_id: int) -> Sent:
        log.info("call to %s: %s call %s", mask(to), kind, call_id)
        return Sent(provider_sid="CAconsole" + uuid.uuid4().hex)
