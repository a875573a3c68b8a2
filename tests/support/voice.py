"""Drive a call the way Twilio does: signed posts that follow the action URLs of the TwiML the app returns."""
import itertools
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree import ElementTree

from .webhooks import signed_post

DUTY_NUMBER = "+864778512345"
_sids = itertools.count(1)


@dataclass
class Twiml:
    """A TwiML answer, parsed: what the caller hears, and where Twilio goes next."""

    root: ElementTree.Element

    @classmethod
    def parse(cls, response) -> "Twiml":
        assert response.status_code == 200, response.data
        assert response.mimetype == "application/xml"
        root = ElementTree.fromstring(response.data)
        assert root.tag == "Response"
        return cls(root)

    def heard(self) -> list[str]:
        """Every <Play> as 'lang/key' and every <Say> as 'say:text', in the order the caller hears them."""
        heard = []
        for element in self.root.iter():
            if element.tag == "Play":
                path = urlsplit(element.text).path
                assert path.startswith("/static/voice/"), path
                heard.append(path.removeprefix("/static/voice/").rsplit(".", 1)[0])
            elif element.tag == "Say":
                heard.append("say:" + (element.text or ""))
        return heard

    def digits_read(self, language: str) -> str:
        """The digits read out in `language`, in order ('48214821' for a reference read twice)."""
        return "".join(key.rsplit("_", 1)[1] for key in self.heard() if key.startswith(f"{language}/digit_"))

    def find(self, tag: str):
        return self.root.find(f".//{tag}")

    @property
    def hangs_up(self) -> bool:
        return self.root[-1].tag == "Hangup" if len(self.root) else False


class Call:
    """One call to (or from) the duty number; each method is one webhook Twilio would send."""

    def __init__(self, client, app, phone: str, sid: str | None = None, outbound: bool = False):
        self.client, self.app, self.phone = client, app, phone
        self.sid = sid or f"CA{next(_sids):032x}"
        self.outbound = outbound
        self.twiml: Twiml | None = None

    def form(self, **more) -> dict:
        caller, called = (DUTY_NUMBER, self.phone) if self.outbound else (self.phone, DUTY_NUMBER)
        form = {"CallSid": self.sid, "AccountSid": "AC" + "0" * 32, "From": caller, "To": called,
                "CallStatus": "in-progress", "Direction": "outbound-api" if self.outbound else "inbound",
                "ApiVersion": "2010-04-01"}
        form.update(more)
        return form

    def post(self, url: str, **more) -> Twiml:
        """Post to an absolute URL of the app, as Twilio would, and keep the TwiML it answers."""
        base = self.app.config["PUBLIC_BASE_URL"]
        assert url.startswith(base + "/twilio/"), url  # built from PUBLIC_BASE_URL, so signatures verify
        self.twiml = Twiml.parse(signed_post(self.client, self.app, url.removeprefix(base), self.form(**more)))
        return self.twiml

    def dial_in(self) -> Twiml:
        return self.post(self.app.config["PUBLIC_BASE_URL"] + "/twilio/voice")

    def _action(self, tag: str) -> str:
        element = self.twiml.find(tag)
        assert element is not None, f"no <{tag}> in {ElementTree.tostring(self.twiml.root, encoding='unicode')}"
        return element.get("action")

    def press(self, keys: str) -> Twiml:
        """Key `keys` at the current <Gather>."""
        return self.post(self._action("Gather"), Digits=keys)

    def silence(self) -> Twiml:
        """Press nothing: the <Gather> times out and (actionOnEmptyResult) posts without Digits."""
        assert self.twiml.find("Gather").get("actionOnEmptyResult") == "true"
        return self.post(self._action("Gather"))

    def speak(self, recording_url: str) -> Twiml:
        """Leave a voice message at the <Record>."""
        return self.post(self._action("Record"), RecordingUrl=recording_url, RecordingDuration="7",
                         RecordingSid="RE" + "1" * 32)

    def dial_ends(self, status: str) -> Twiml:
        """The <Dial> ends with DialCallStatus `status`."""
        return self.post(self._action("Dial"), DialCallStatus=status)

    def hang_up(self, status: str = "completed"):
        """Twilio's call status callback at the end of the call."""
        return signed_post(self.client, self.app, "/twilio/status", self.form(CallStatus=status, CallDuration="12"))
