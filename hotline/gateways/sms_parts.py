"""SMS parts as Gammu 1.42 builds them: the coding, the split and the concatenation headers, and back.

Outbound (`encode_message`): GSM 03.38 7-bit when every character is in the default alphabet or its extension
table (an extension character costs two septets), 160 septets in one part, else parts of at most 153 and an
escape pair never split; otherwise UCS-2 (UTF-16 code units, an emoji costs two), 70 in one part, else parts
of at most 67 and a surrogate pair never split. Each part of a long text carries the 8-bit-reference
concatenation header `050003 REF TOTAL SEQ`. The result matches gammu-smsd-inject's rows
(tests/hotline/gateways/test_sms_parts.py compares them), so no part is ever longer than a phone takes.
Inbound (`join_parts`): a message rebuilt from each part's own `Text` and `UDH`, in sequence.
"""
import random
from typing import Iterable

CODING_GSM = "Default_No_Compression"
CODING_UCS2 = "Unicode_No_Compression"

# GSM 03.38 default alphabet (index = septet value; 0x1B is the escape to the extension table).
GSM7_BASIC = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
              "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_BASIC_SET = frozenset(GSM7_BASIC) - {"\x1b"}
GSM7_EXTENSION = frozenset("\x0c^{}\\[~]|€")
LIMITS = {CODING_GSM: (160, 153), CODING_UCS2: (70, 67)}  # (one part alone, each part of a long text)
MAX_PARTS = 255  # the header's TOTAL is one octet


def choose_coding(text: str) -> str:
    """GSM 7-bit when the whole text fits its alphabet, else UCS-2 (Chinese and Mongolian always are)."""
    fits = all(ch in GSM7_BASIC_SET or ch in GSM7_EXTENSION for ch in text)
    return CODING_GSM if fits else CODING_UCS2


def _cost(ch: str, coding: str) -> int:
    if coding == CODING_GSM:
        return 2 if ch in GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1


def units(text: str, coding: str) -> int:
    """The text's length as the network counts it: septets (GSM) or UTF-16 code units (UCS-2)."""
    return sum(_cost(ch, coding) for ch in text)


def _split(text: str, coding: str, limit: int) -> list[str]:
    parts, current, used = [], [], 0
    for ch in text:  # a Python string iterates code points, so a surrogate pair is never cut
        cost = _cost(ch, coding)
        if used + cost > limit:
            parts.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += cost
    parts.append("".join(current))
    return parts


def encode_message(text: str, ref: int | None = None) -> tuple[str, list[tuple[str, str]]]:
    """(coding, [(UDH hex, part text), …]); the UDH is '' for a text that fits one part."""
    coding = choose_coding(text)
    alone, each = LIMITS[coding]
    if units(text, coding) <= alone:
        return coding, [("", text)]
    chunks = _split(text, coding, each)
    if len(chunks) > MAX_PARTS:
        raise ValueError(f"a text of {len(chunks)} parts cannot be sent (at most {MAX_PARTS})")
    ref = random.randrange(256) if ref is None else ref & 0xFF
    return coding, [(f"050003{ref:02X}{len(chunks):02X}{seq:02X}", chunk) for seq, chunk in enumerate(chunks, 1)]


def text_hex(part: str) -> str:
    """A part as Gammu's `Text` column holds it: UTF-16BE in upper-case hex, whatever the coding."""
    return part.encode("utf-16-be").hex().upper()


def decode_udh(udh: str | None) -> tuple[int, int, int] | None:
    """(reference, total, sequence) from a concatenation header (8- or 16-bit reference), else None."""
    if not udh:
        return None
    try:
        data = bytes.fromhex(udh)
    except ValueError:
        return None
    at, end = 1, 1 + (data[0] if data else 0)
    while at + 1 < len(data) and at < end:
        element, length = data[at], data[at + 1]
        value = data[at + 2:at + 2 + length]
        if element == 0x00 and length == 3 and len(value) == 3:
            return value[0], value[1], value[2]
        if element == 0x08 and length == 4 and len(value) == 4:
            return (value[0] << 8) | value[1], value[2], value[3]
        at += 2 + length
    return None


def decode_text(hex_text: str | None, coding: str, decoded: str = "") -> str:
    """One part's text from its `Text` column (UTF-16BE hex; raw octets for 8bit), or `decoded` without it."""
    try:
        raw = bytes.fromhex(hex_text or "")
    except ValueError:
        return decoded
    if not raw:
        return decoded
    if coding == "8bit":
        return raw.decode("latin-1")
    return raw.decode("utf-16-be", errors="replace")


def group_parts(rows: Iterable[dict]) -> list[list[dict]]:
    """Inbox rows (dicts with ID, SenderNumber, UDH) as messages: one row alone, or a concatenated message's
    parts in sequence. Gammu puts the joined text only in part 1's TextDecoded, and only when it linked the
    parts, so each message is rebuilt from its parts' own Text (`join_parts`)."""
    messages, groups = [], {}
    for row in rows:
        header = decode_udh(row.get("UDH"))
        if header is None:
            messages.append([row])
            continue
        ref, total, seq = header
        key = (row["SenderNumber"], ref, total)
        if seq in groups.get(key, {}):  # the sender used this reference again for a new text: close the first
            messages.append([groups[key][n] for n in sorted(groups.pop(key))])
        groups.setdefault(key, {})[seq] = row
    messages += [[parts[seq] for seq in sorted(parts)] for parts in groups.values()]
    return sorted(messages, key=lambda parts: min(p["ID"] for p in parts))


def expected_parts(parts: list[dict]) -> int:
    """How many parts the message's header announces (1 for a single SMS)."""
    header = decode_udh(parts[0].get("UDH"))
    return header[1] if header else 1


def join_parts(parts: list[dict]) -> str:
    """A message's text, rebuilt from its parts' Text columns in sequence."""
    return "".join(decode_text(p.get("Text"), p.get("Coding") or CODING_GSM, p.get("TextDecoded") or "")
                   for p in parts)
