"""The contact card by SMS: a household texting CARD, 卡 or the Mongolian карт / ᠺᠠᠷᠲ gets its card's
essentials (its paired member, captain and doctor with their phones, the duty and gacha numbers) in at most two SMS."""
from ..messaging import texts
from ..messaging.words import fold, folded_all
from .card_facts import card_facts, dial_form

WORDS = set(folded_all(("card", "卡", "联系卡", "要卡", "карт", "карта", "ᠺᠠᠷᠲ")))


def is_card_request(body: str | None) -> bool:
    """Whether a text asks for the contact card: one of WORDS alone, in any case, full-width or not."""
    return fold(body).strip(" .。!！?？") in WORDS


def card_answer(session, household, settings) -> str:
    """The card of the household the text came from (the reader looked it up), as one SMS text; a short answer
    when the phone is no household's."""
    duty_number, region = settings["DUTY_NUMBER"], settings["DEFAULT_REGION"]
    if household is None:
        return texts.render("card_unknown", "zh", duty=_digits(duty_number, region))
    [card] = card_facts(session, [household], duty_number, region)

    def who(person):
        if person is None:
            return "—"
        return f"{person.name} {person.phone.replace(' ', '')}".strip()

    return texts.render("card", household.text_language, contact=who(card.paired), captain=who(card.captain),
                        doctor=who(card.doctor), duty=card.duty_number.replace(" ", ""),
                        gacha_number=card.gacha_number or "—")


def _digits(phone: str, region: str) -> str:
    return dial_form(phone, region).replace(" ", "")
