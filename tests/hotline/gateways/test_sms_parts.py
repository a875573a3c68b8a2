"""Our split of a text into SMS parts is Gammu's own: for each text, the rows gammu-smsd-inject writes into
outbox and outbox_multipart have the coding, part texts, Text hex and headers ours has (the reference byte
aside, which each side draws itself). So no part we queue is longer than a phone takes."""
import random
import re
import subprocess

import pytest

from hotline.gateways import sms_parts
from tests.support.gammu_smsd import INJECT, Smsd

EDGES = ["a" * 160, "a" * 161, "a" * 152 + "{" + "b" * 10, "{" * 80 + "x", "я" * 70, "я" * 71,
         "я" * 66 + "🙂" + "z" * 10, "я" * 65 + "🙂" + "z" * 10, "я" * 68 + "🙂", "€" * 5, "hello",
         "【派单4821】送药：乌云其木格 +8613912345678，昂素镇哈日根图嘎查第三网格，约12.4公里。回1接单，回“2 4821 原因”拒绝。",
         "[Дуудлага 4821] Эм: Баатар +8613912345678, Хар-Эрэг, 12.4 км. Авах бол 1, татгалзах бол \"2 4821 шалтгаан\"."]
POOL = ["a", "b", " ", "{", "€", "é", "Δ", "[", "1", "中", "文", "я", "🙂", "😀", "，", "ᠮ"]


def random_texts(count=40, seed=42):
    rnd = random.Random(seed)
    return ["".join(rnd.choice(POOL[:rnd.choice([2, 3, 5, 8, 9, 16])]) for _ in range(rnd.randint(1, 420)))
            for _ in range(count)]


@pytest.fixture
def inject(gammu_url, tmp_path):
    """gammu-smsd-inject with a dummy's configuration; no daemon runs, so what it queues stays to be read."""
    if INJECT is None:
        pytest.skip("gammu-smsd-inject is not installed (Debian: gammu-smsd)")
    queue = Smsd(tmp_path / "inject", gammu_url)

    def rows(text: str, unicode: bool) -> list[dict]:
        args = [INJECT, "-c", str(queue.config), "TEXT", "13800138000", "-len", "2000", "-text", text]
        out = subprocess.run(args + (["-unicode"] if unicode else []), capture_output=True, text=True, check=True)
        outbox_id = int(re.search(r"Written message with ID (\d+)", out.stdout + out.stderr).group(1))
        first = queue.query('SELECT * FROM outbox WHERE "ID" = %s', (outbox_id,))
        rest = queue.query('SELECT * FROM outbox_multipart WHERE "ID" = %s ORDER BY "SequencePosition"',
                           (outbox_id,))
        queue.query('DELETE FROM outbox_multipart WHERE "ID" = %s', (outbox_id,))
        queue.query('DELETE FROM outbox WHERE "ID" = %s', (outbox_id,))
        return first + rest

    yield rows
    queue.close()


def without_reference(udh: str | None) -> str:
    return (udh or "")[:6] + (udh or "")[8:]


@pytest.mark.parametrize("text", EDGES + random_texts(), ids=lambda t: f"{len(t)}-{t[:12]}")
def test_parts_are_gammus_own(inject, text):
    coding, ours = sms_parts.encode_message(text)
    theirs = inject(text, unicode=coding == sms_parts.CODING_UCS2)
    assert [row["Coding"] for row in theirs] == [coding] * len(ours)
    assert [row["TextDecoded"] for row in theirs] == [part for _, part in ours]
    assert [row["Text"] for row in theirs] == [sms_parts.text_hex(part) for _, part in ours]
    assert [without_reference(row["UDH"]) for row in theirs] == [without_reference(udh) for udh, _ in ours]
    alone, each = sms_parts.LIMITS[coding]
    assert all(sms_parts.units(part, coding) <= (alone if len(ours) == 1 else each) for _, part in ours)


def test_inbound_parts_join_in_sequence_whatever_order_they_came():
    coding, parts = sms_parts.encode_message("你好" * 50, ref=0x42)
    rows = [{"ID": 10 + i, "SenderNumber": "+8613900000001", "UDH": udh, "Text": sms_parts.text_hex(part),
             "Coding": coding, "TextDecoded": ""} for i, (udh, part) in enumerate(parts)]
    [message] = sms_parts.group_parts(list(reversed(rows)))
    assert sms_parts.join_parts(message) == "你好" * 50 and sms_parts.expected_parts(message) == 2
