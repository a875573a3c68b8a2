"""Gammu's `dummy` phone: a folder gammu-smsd treats as a modem. For training (the simulator texts through it)
and for the tests, which run the real gammu-smsd on it.

A file in `DIR/sms/1/` (the inbox folder; names are whole numbers 1..9999) in Gammu's SMS backup format is an
SMS the phone received: gammu-smsd stores it in `inbox` and deletes the file. A `Status_Report` file is a
delivery report for a sent message (the dummy's SMS centre is 123456, and it numbers every sent part 255).
Creating `DIR/incoming-call` rings the phone (always from +800123456). The dummy sends nothing anywhere: what
it "sent" is only in `sentitems`.
"""
import itertools
import os
from datetime import datetime, timezone
from pathlib import Path

from . import sms_parts

DUMMY_SMSC = "123456"  # the dummy's own SMS centre
DUMMY_REFERENCE = 255  # the message reference the dummy gives every part it sends
NETWORK_SMSC = "+8613800100500"  # the centre an inbound SMS names (any will do)
_asides = itertools.count(1)


def backup_text(number: str, text: str, *, udh: str = "", coding: str | None = None, smsc: str = NETWORK_SMSC,
                pdu: str = "Deliver", when: datetime | None = None, reference: int = 0) -> str:
    """One message in Gammu's SMS backup format. The text is UTF-16BE hex in lines of 200, whatever the coding;
    `Deliver` is a received SMS (a `Submit` file is read and thrown away), `Status_Report` a delivery report."""
    coding = coding or sms_parts.choose_coding(text)
    hex_text = sms_parts.text_hex(text)
    stamp = (when or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["[SMSBackup000]", f'SMSC = "{smsc}"', f"PDU = {pdu}", f"DateTime = {stamp}", "State = UnRead",
             f'Number = "{number}"']
    if udh:
        lines.append(f"UDH = {udh}")
    lines += [f"Text{i // 200:02d} = {hex_text[i:i + 200]}" for i in range(0, len(hex_text), 200)]
    lines += [f"Coding = {coding}", "Folder = 1", f"Length = {len(hex_text) // 4}", "Class = -1",
              f"MessageReference = {reference}", ""]
    return "\n".join(lines)


def drop_file(phone_dir: str | Path, body: str) -> Path:
    """Put one backup file into the dummy's inbox folder whole (written aside, then renamed in)."""
    inbox = Path(phone_dir) / "sms" / "1"
    inbox.mkdir(parents=True, exist_ok=True)
    aside = Path(phone_dir) / f".incoming-{os.getpid()}-{next(_asides)}.tmp"
    aside.write_text(body, encoding="utf-8")
    try:
        for number in range(1, 10000):
            target = inbox / str(number)
            try:
                os.link(aside, target)  # whole at once (never half a file read), and never over another one
            except FileExistsError:
                continue
            return target
        raise OSError(f"the dummy's inbox {inbox} is full (9999 unread files)")
    finally:
        aside.unlink()


def receive(phone_dir: str | Path, number: str, text: str, ref: int | None = None) -> list[Path]:
    """The dummy receives an SMS from `number`: one file per part (a long text as concatenated parts)."""
    coding, parts = sms_parts.encode_message(text, ref)
    return [drop_file(phone_dir, backup_text(number, part, udh=udh, coding=coding)) for udh, part in parts]


def report(phone_dir: str | Path, number: str, delivered: bool) -> Path:
    """A delivery report for the oldest unreported message to `number` (gammu-smsd matches the number exactly)."""
    return drop_file(phone_dir, backup_text(number, "Delivered" if delivered else "Failed",
                                            coding=sms_parts.CODING_GSM, smsc=DUMMY_SMSC, pdu="Status_Report",
                                            reference=DUMMY_REFERENCE))


def ring(phone_dir: str | Path) -> None:
    """Ring the dummy; with HangupCalls it hangs up and runs RunOnIncomingCall with the caller's number."""
    (Path(phone_dir) / "incoming-call").touch()
