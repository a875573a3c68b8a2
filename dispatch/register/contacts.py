"""Contacts are recorded: a member's visit report, the hotline's check-in, and a request done for a household
on the register (the weekly rule and the activity ledger 活动记录表 read these rows)."""
from models import Contact, ContactChannel, ContactOutcome


def record_contact(session, household, now, channel, outcome, member=None, request=None, note="") -> Contact:
    """One contact with the household (flushed, not committed)."""
    contact = Contact(household=household, at=now, channel=ContactChannel(channel), outcome=ContactOutcome(outcome),
                      member=member, request_id=request.id if request is not None else None, note=note[:500])
    session.add(contact)
    session.flush()
    return contact


def request_done(session, request, now, member=None, note="") -> Contact | None:
    """A request done (by a team, or closed by a leader) reached its household: a contact, all well, when the
    household is on the register."""
    household = request.household
    if household is None or not household.on_register:
        return None
    return record_contact(session, household, now, ContactChannel.request, ContactOutcome.well, member=member,
                          request=request, note=note)
