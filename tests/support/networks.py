"""The phone network as an end-to-end test meets it, one per provider, so the same test runs on both: a phone
texts the duty number and reads the answer, sees what it was sent, and the network reports delivery.

Twilio: signed webhooks to the served app, answers in the TwiML response, SMS sent through the real twilio
client to tests/support/fake_twilio.py. Gammu: files dropped into the real gammu-smsd's dummy phone, and every
SMS, answers too, read from its sentitems, where each is also checked part by part.
"""
from xml.etree import ElementTree

from hotline.gateways import sms_parts

from .gammu_smsd import wait_for


class TwilioNetwork:
    """Phones reaching the hotline through Twilio."""

    name = "twilio"

    def __init__(self, web, fake):
        self.web, self.fake = web, fake

    def text(self, phone: str, body: str) -> str:
        """The phone texts the duty number; the answer it gets."""
        response = self.web.post_sms(phone, body)
        assert response.status_code == 200
        [answer] = [m.text or "" for m in ElementTree.fromstring(response.content).iter("Message")]
        return answer

    def received(self, phone: str) -> list[str]:
        """What the phone was sent, besides the answers to its own texts, oldest first."""
        return [m["body"] for m in self.fake.messages if m["to"] == phone]

    def report_delivered(self, phone: str) -> None:
        """Twilio reports every SMS to the phone delivered."""
        for message in self.fake.messages:
            if message["to"] == phone:
                assert self.fake.send_status(message["sid"], "delivered") == 204

    def check_sent(self) -> None:
        """Every SMS asked Twilio to report its delivery to the app."""
        assert all(m["status_callback"] == self.web.base_url + "/twilio/status" for m in self.fake.messages)


class GammuNetwork:
    """Phones reaching the hotline through a GSM modem: the real gammu-smsd on its dummy phone."""

    name = "gammu"

    def __init__(self, smsd):
        self.smsd = smsd
        self.answers: set[int] = set()  # sentitems IDs that answered a phone's own text

    def text(self, phone: str, body: str) -> str:
        """The phone texts the modem; the answer is the next SMS the modem sends it."""
        before = {parts[0]["ID"] for parts in self.smsd.sent_messages(phone)}
        self.smsd.receive(phone.removeprefix("+86"), body)  # the network gives a national number
        new = wait_for(lambda: [p for p in self.smsd.sent_messages(phone) if p[0]["ID"] not in before], 30,
                       f"the answer to {phone}")
        self.answers.add(new[0][0]["ID"])
        return "".join(part["TextDecoded"] for part in new[0])

    def received(self, phone: str) -> list[str]:
        """What the modem sent the phone, besides the answers to its own texts, oldest first."""
        return ["".join(part["TextDecoded"] for part in parts) for parts in self.smsd.sent_messages(phone)
                if parts[0]["ID"] not in self.answers]

    def report_delivered(self, phone: str) -> None:
        """The network reports every SMS to the phone delivered (one report each, oldest first)."""
        for _ in self.smsd.sent_messages(phone):
            self.smsd.report(phone, delivered=True)

    def check_sent(self) -> None:
        """Every message left in parts a phone takes, with Gammu's headers in sequence, and joins up again."""
        for parts in self.smsd.sent_messages():
            coding = parts[0]["Coding"]
            texts = [sms_parts.decode_text(p["Text"], p["Coding"]) for p in parts]
            assert texts == [p["TextDecoded"] for p in parts] and {p["Coding"] for p in parts} == {coding}
            alone, each = sms_parts.LIMITS[coding]
            assert all(sms_parts.units(t, coding) <= (alone if len(parts) == 1 else each) for t in texts)
            if len(parts) > 1:
                headers = [sms_parts.decode_udh(p["UDH"]) for p in parts]
                assert len({ref for ref, _, _ in headers}) == 1
                assert [(total, seq) for _, total, seq in headers] == [(len(parts), n + 1) for n in range(len(parts))]
