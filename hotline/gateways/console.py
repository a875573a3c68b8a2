"""The console gateway: sends nowhere and logs the text; the simulator shows every SMS from the message table."""
import logging
import uuid

from dispatch.messaging.gateway import Sent
from dispatch.messaging.phones import mask

log = logging.getLogger(__name__)


class ConsoleGateway:
    """Sends nowhere: logs the text. The simulator shows it from the outbound message table."""

    replies_inline = True  # the webhook's answer goes back in the response (TwiML; the simulator's JSON)
    voice = True

    def send(self, to: str, body: str) -> Sent:
        """Log the text instead of sending it, and hand back a made-up provider id."""
        log.info("SMS to %s: %s", mask(to), body)
        return Sent(provider_sid="SMconsole" + uuid.uuid4().hex)

    def find_sent(self, to: str, body: str, since) -> Sent | None:
        """Nothing to find: a console send never ends in doubt."""
        return None  # the console never loses a message

    def fetch_recording(self, url: str) -> tuple[bytes, str] | None:
        """No audio: the simulator records no voice messages."""
        return None  # the simulator records nothing

    def read_offer(self, to: str, call_id: int) -> Sent:
        """Rings nobody: logs the call. The simulator's keypad can answer it."""
        log.info("call to %s: offer call %s", mask(to), call_id)
        return Sent(provider_sid="CAconsole" + uuid.uuid4().hex)
