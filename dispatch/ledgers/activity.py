"""活动记录表: what the teams did in the period — every contact with a household on the register (a member's
visit, the hotline's check-in call or SMS) and every request done — one row each, in time order."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Contact, ContactChannel, Household, Member, Request, RequestStatus

from .period import Period, in_places
from .sheet import Column, Sheet
from .words import CONTACT, OUTCOME, SERVICE, SOLVED, word

COLUMNS = [Column("序号", 6), Column("时间", 17), Column("嘎查（社区）", 18), Column("服务队", 30), Column("队员", 16),
           Column("服务对象", 14), Column("服务内容", 18), Column("结果", 26), Column("求助编号", 10)]
HOTLINE = "热线"  # a check-in the hotline made itself, with no member


def activity_sheets(session, scope, period: Period) -> list[Sheet]:
    """活动记录表: contacts and requests done in the period, in scope."""
    rows = [_contact_row(contact, ref, period) for contact, ref in _contacts(session, scope, period)]
    rows += [_request_row(r, period) for r in done_requests(session, scope, period)]
    rows.sort(key=lambda row: row[0])
    return [Sheet("活动记录表", COLUMNS, [[n, *row] for n, row in enumerate(rows, start=1)])]


def _contacts(session, scope, period: Period):
    # A request done is a contact too (channel "request"); it is listed once, from the request, which says more.
    done = select(Request.id).where(Request.status == RequestStatus.done)
    return session.execute(
        select(Contact, Request.ref).select_from(Contact).join(Household, Household.id == Contact.household_id)
        .outerjoin(Request, Request.id == Contact.request_id)
        .where(period.covers(Contact.at), in_places(scope, Household.place_id))
        .where((Contact.channel != ContactChannel.request) | Contact.request_id.is_(None)
               | Contact.request_id.not_in(done))
        .options(selectinload(Contact.household).selectinload(Household.place),
                 selectinload(Contact.member).selectinload(Member.team)))


def done_requests(session, scope, period: Period):
    """The requests done (by a team, or closed by a leader) in the period, in scope."""
    return session.scalars(
        select(Request).where(Request.status == RequestStatus.done, period.covers(Request.closed_at),
                              scope.requests())
        .options(selectinload(Request.place), selectinload(Request.household), selectinload(Request.holder_team),
                 selectinload(Request.holder_member), selectinload(Request.events)))


def _contact_row(contact: Contact, ref: str | None, period: Period) -> list:
    member = contact.member
    result = word(OUTCOME, contact.outcome) + (f"：{contact.note}" if contact.note else "")
    return [period.local(contact.at), contact.household.place.name, member.team.name if member else HOTLINE,
            member.name if member else "", contact.household.head_name, word(CONTACT, contact.channel), result,
            ref or ""]


def _request_row(request: Request, period: Period) -> list:
    closer = next((e.actor for e in reversed(request.events) if e.kind in ("done", "closed")), "")
    member = request.holder_member.name if request.holder_member else closer
    served = request.household.head_name if request.household else request.caller_phone
    return [period.local(request.closed_at), request.place.name if request.place else "位置未知",
            request.holder_team.name if request.holder_team else "", member, served,
            SERVICE.get(request.category, "其他帮办"), f"已办结，住户反馈{SOLVED[request.solved]}", request.ref]
