"""The models, re-exported: `from models import db, Request, Team`."""
from .access import AccessRecord
from .auth import LoginCode
from .base import db
from .call import Call, CallKind, CallStep
from .checkin import Checkin, CheckinItem, CheckinStatus
from .daily import DailyRun
from .household import NEEDS, Household, HouseholdPhone, Risk
from .message import FINAL_FAILURES, InboundMessage, MessageStatusEvent, OutboundMessage, OutboundStatus
from .register import Contact, ContactChannel, ContactOutcome
from .request import OPEN_STATUSES, Event, Offer, OfferDecline, OfferStatus, Request, RequestStatus
from .roster import (DutyShift, Language, Leader, LeaderRole, Member, MemberKind, MemberRole, Place, PlaceKind, Team,
                     Vehicle)
from .sharing import ShareKind, ShareMatch, SharePost

__all__ = [
    "db", "AccessRecord", "NEEDS", "Household", "HouseholdPhone", "Risk", "FINAL_FAILURES", "InboundMessage",
    "MessageStatusEvent", "OutboundMessage", "OutboundStatus", "OPEN_STATUSES", "Event", "Offer", "OfferDecline",
    "OfferStatus", "Request", "RequestStatus", "DutyShift", "Language", "Leader", "LeaderRole", "Member",
    "MemberKind", "MemberRole", "Place", "PlaceKind", "Team", "Vehicle", "LoginCode",
    "Call", "CallKind", "CallStep", "Contact", "ContactChannel", "ContactOutcome", "DailyRun",
    "ShareKind", "ShareMatch", "SharePost", "Checkin", "CheckinItem", "CheckinStatus",
]
