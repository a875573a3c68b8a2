"""The spool: SMS kept on disk while the database is down are replayed once, in order, and none is dropped."""
from datetime import datetime, timezone

from sqlalchemy import select

from hotline import spool
from hotline.sms import replay_spooled
from models import InboundMessage, OutboundMessage, Request, db
from tests.support.webhooks import sms_form


def test_spooled_messages_are_replayed_with_their_answer_sent_as_sms(app, ctx, make, tmp_path):
    app.config["INSTANCE_DIR"] = str(tmp_path)
    herder = make.household()
    db.session.commit()
    phone = herder.phones[0].phone
    came = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)
    spool.keep(str(tmp_path), sms_form(phone, "送药", sid="SMspool1"), came)
    spool.keep(str(tmp_path), sms_form(phone, "快来", sid="SMspool2"), came)
    with open(spool.spool_path(str(tmp_path)), "a", encoding="utf-8") as broken:
        broken.write('{"received_at": "2026-11-25T03:00:0')  # a crash mid-append
    spool.keep(str(tmp_path), sms_form("+8613900009999", "家里停电了", sid="SMspool3"), came)

    assert replay_spooled() == 3
    assert replay_spooled() == 0  # nothing twice
    request = db.session.scalar(select(Request).where(Request.caller_phone == phone))
    assert request.created_at == came and request.category == 1
    late = db.session.scalar(select(OutboundMessage).where(OutboundMessage.to_phone == phone))
    assert request.ref in late.body and late.status == "pending"  # a real SMS for the worker to send
    assert db.session.query(InboundMessage).count() == 3
    assert not spool.spool_path(str(tmp_path)).exists()
    assert (tmp_path / "spool" / "inbound.jsonl.bad").read_text().startswith('{"received_at"')
