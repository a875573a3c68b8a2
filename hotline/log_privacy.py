"""Logs hold no secrets and no whole phone numbers: every record is masked as it is made, its message and its
traceback alike, whatever handler or formatter writes it later (gunicorn's, RQ's, the dev server's, pytest's).
SMS bodies and forms stay out of tracebacks because SQLAlchemy hides statement parameters (hotline/__init__.py)."""
import logging
import re

# Eight or more digits in a row (an optional +, or %2B as a URL carries it), not inside an id like a Twilio SID:
# a phone number. Keep the last four digits, for support.
PHONE = re.compile(r"(?<![A-Za-z0-9+])(?:\+|%2[Bb])?\d{4,}(?=\d{4}(?![A-Za-z0-9]))")
_traceback = logging.Formatter()
_secrets: set[str] = set()
_installed = False


def mask_text(text: str) -> str:
    """Phone numbers masked but for their last four digits, known secrets replaced by ***."""
    for secret in _secrets:
        text = text.replace(secret, "***")
    return PHONE.sub(lambda m: "*" * len(m.group(0)), text)


def install(secrets) -> None:
    """Mask every log record from now on (all loggers, all handlers, pytest's too)."""
    global _installed
    _secrets.update(s for s in secrets if s and len(s) >= 8)
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def masked_record(*args, **kwargs):
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call: leave it for logging to report
            return record
        record.msg, record.args = mask_text(message), ()
        if record.exc_info and not record.exc_text:
            # Formatters use exc_text when it is set: the traceback is written masked, or not at all.
            record.exc_text = mask_text(_traceback.formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return record

    logging.setLogRecordFactory(masked_record)
    _installed = True
