"""The hotline's own check-in with a due household that has a phone. Those the roster texts in a language of
their own (`sms_language` set: they read) get an SMS they answer with 平安 / амар, a word nobody uses to ask for
help, so the answer is never read as a new request (a need is texted as usual and becomes one). The others get
a call in the language they hear: 1 all well, 2 I need help (calls.py). No answer within CHECKIN_REPLY_HOURS
(an SMS) or after CHECKIN_RETRY_MINUTES (a call that nobody answered): a second try; after two, the paired
contact is asked by SMS to visit, and the check-in counts as not reached."""
from datetime import timedelta

from sqlalchemy import select

from models import (Call, CallKind, CallStep, Checkin, CheckinStatus, Contact, ContactChannel, ContactOutcome,
                    Household, Member)

from ..messaging import outbox
from . import rules

TRIES = 2


def checked_in_on(session, households, day) -> set[int]:
    """The ids of those of `households` that already have a check-in on `day` (an earlier run of the round, or
    another worker's): read for the whole round at once, a query a rules.BATCH, not one a household."""
    found = set()
    for batch in rules.batches(households):
        found.update(session.scalars(select(Checkin.household_id).where(
            Checkin.day == day, Checkin.household_id.in_([h.id for h in batch]))))
    return found


def start_checkin(session, household: Household, day, now, settings, checked_in: set[int],
                  call_at=None) -> Checkin | None:
    """Begin today's check-in with the household (once a day; a call placed at `call_at`, else now); None when
    it has no phone, already has one today (its id is in `checked_in`, from checked_in_on), or must be rung
    where the provider cannot ring (a modem: the member's list covers them). Of two workers that both read
    none, the unique (household, day) refuses the second's row; its retry (run_and_commit) sees the first's."""
    if not household.phones or household.id in checked_in:
        return None
    reads = household.sms_language is not None
    if not reads and not settings.get("VOICE_CALLS", True):
        return None
    checkin = Checkin(household=household, day=day, phone=household.phones[0].phone, tries=0,
                      channel=ContactChannel.sms if reads else ContactChannel.call, status=CheckinStatus.waiting)
    session.add(checkin)
    try_once(session, checkin, now, settings, call_at)
    return checkin


def try_once(session, checkin: Checkin, now, settings, call_at=None) -> None:
    """One try: the SMS (and a look again once its reply window has passed), or a call to place (at `call_at`
    when the round spreads its calls; the call row says when, so the sweep does not place it early)."""
    later = checkin.channel == ContactChannel.call and call_at is not None and call_at > now
    at = call_at if later else now
    checkin.tries, checkin.last_try_at = checkin.tries + 1, at
    session.flush()  # its id names the try's text or call; a new check-in is inserted with its first try at once
    household = checkin.household
    if checkin.channel == ContactChannel.sms:
        # A first try's key names a check-in inserted just now: no text can have it yet, so the outbox need not
        # look (its unique key still stands guard).
        outbox.record_sms(session, key=f"checkin-{checkin.id}-{checkin.tries}", to=checkin.phone,
                          template="checkin_herder", language=household.text_language, now=now,
                          new=checkin.tries == 1, name=household.head_name)
        look_again(session, checkin, now + timedelta(hours=settings["CHECKIN_REPLY_HOURS"]))
        return
    call = Call(kind=CallKind.checkin, key=f"checkin-{checkin.id}-call-{checkin.tries}", checkin=checkin,
                from_phone=settings["TWILIO_FROM_NUMBER"] or "", to_phone=checkin.phone,
                language=household.language, step=CallStep.pending, started_at=at)
    session.add(call)
    session.flush()
    outbox.schedule(session, "dispatch.runtime.jobs.place_call", call.id, job_id=f"place-call-{call.id}",
                    network=True, at=at if later else None)


def look_again(session, checkin: Checkin, at) -> None:
    """Once `at` has come, try again or give up, unless the household has answered by then."""
    outbox.schedule(session, "dispatch.runtime.jobs.checkin_again", checkin.id,
                    job_id=f"checkin-again-{checkin.id}-{checkin.tries}", at=at)


def try_again(session, checkin_id: int, now, settings) -> str:
    """No answer came: 'again' (a second try), 'given_up' (the paired contact is asked to visit), 'early' (the
    try's time is not over: a call still ringing, or a second run of the same job) or 'skip'."""
    checkin = session.get(Checkin, checkin_id, with_for_update=True)
    if checkin is None or checkin.status != CheckinStatus.waiting:
        return "skip"
    if not try_over(session, checkin, now, settings):
        return "early"
    if checkin.tries < TRIES:
        try_once(session, checkin, now, settings)
        return "again"
    give_up(session, checkin, now)
    return "given_up"


def try_over(session, checkin: Checkin, now, settings) -> bool:
    """Whether the last try has had its time: the SMS its reply window; the call its retry wait, once no call
    of this check-in is on its way (a call placed an hour ago without a report has ended, whatever Twilio said)."""
    if checkin.channel == ContactChannel.sms:
        wait = timedelta(hours=settings["CHECKIN_REPLY_HOURS"])
    else:
        wait = timedelta(minutes=settings["CHECKIN_RETRY_MINUTES"])
        ringing = session.scalar(select(Call.id).where(
            Call.checkin_id == checkin.id, Call.step.in_((CallStep.pending, CallStep.placed, CallStep.reading)),
            Call.started_at > now - timedelta(hours=1)).limit(1))
        if ringing is not None:
            return False
    return now >= checkin.last_try_at + wait - timedelta(seconds=5)


def give_up(session, checkin: Checkin, now) -> None:
    """Two tries, no answer: not reached, and the paired contact (a member, or the person the roster names)
    is asked by SMS to go and see them."""
    checkin.status = CheckinStatus.given_up
    household = checkin.household
    Contact.record(session, household, now, checkin.channel, ContactOutcome.not_reached, note="热线两次未联系上")
    if not household.contact_phone:
        return
    member = session.scalar(select(Member).where(Member.phone == household.contact_phone))
    outbox.record_sms(session, key=f"checkin-{checkin.id}-visit", to=household.contact_phone,
                      template="checkin_visit", language=member.text_language if member else "zh", now=now,
                      name=household.head_name, household=household.ref, phone=checkin.phone)


def answer(session, checkin: Checkin, outcome: str, now, request=None) -> bool:
    """The household answered (all well, or needs help with the request it opened): a contact, once."""
    if checkin.status == CheckinStatus.answered:
        return False
    checkin.status, checkin.answered_at = CheckinStatus.answered, now
    Contact.record(session, checkin.household, now, checkin.channel, outcome, request=request)
    return True


def recent_sms_checkin(session, phone: str, now, settings) -> Checkin | None:
    """The latest check-in SMS to `phone` within CHECKIN_DAYS: a 平安 that comes late still counts."""
    return session.scalar(select(Checkin).where(
        Checkin.phone == phone, Checkin.channel == ContactChannel.sms,
        Checkin.last_try_at >= now - timedelta(days=settings["CHECKIN_DAYS"])).order_by(Checkin.id.desc()).limit(1))
