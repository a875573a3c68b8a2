"""Phone numbers: parsed with phonenumbers in DEFAULT_REGION and kept as E.164."""
import phonenumbers


def to_e164(raw: str | None, region: str) -> str | None:
    """E.164 for a valid number, None for anything else."""
    try:
        number = phonenumbers.parse((raw or "").strip(), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def caller_id(raw: str | None, region: str) -> str:
    """The sender as we store it: E.164 when it parses, else the raw text (never lose who wrote)."""
    return to_e164(raw, region) or (raw or "").strip()[:64] or "unknown"


def can_call_back(stored: str) -> bool:
    """Whether a stored caller id (`caller_id`'s result) is a phone number a call or an SMS can reach."""
    return stored.startswith("+") and to_e164(stored, "ZZ") == stored


def mask(phone: str) -> str:
    """A phone number for logs: all but the last four digits hidden."""
    return "*" * max(len(phone) - 4, 0) + phone[-4:]
