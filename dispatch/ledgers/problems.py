"""解决群众困难台账: every request made in the period — who asked and from where, what for, who took it, every
escalation and what leaders did, when it was done, and whether the resident said it was solved."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Request

from ..requests.subcategories import NAMES as SUBCATEGORY
from .period import Period
from .sheet import Column, Sheet
from .words import CATEGORY, CHANNEL, SOLVED, STATUS, word

# The events that show the request went up to leaders, and what they did with it.
ESCALATION_STEPS = {"escalated": "升级", "leaders_told": "已通知", "no_leader": "无领导可通知", "reassigned": "改派",
                    "cancelled": "撤销", "closed": "领导办结", "regulator_told": "转办"}
COLUMNS = [Column("序号", 6), Column("编号", 9), Column("求助时间", 17), Column("求助人", 14), Column("求助电话", 16),
           Column("嘎查（社区）", 18), Column("方式", 6), Column("类别", 10), Column("服务细类", 14), Column("求助内容", 30),
           Column("接单服务队", 30), Column("接单队员", 12), Column("接单时间", 17), Column("升级与处理记录", 50),
           Column("状态", 8), Column("办结时间", 17), Column("群众是否解决", 12)]


def problem_sheets(session, scope, period: Period) -> list[Sheet]:
    """解决群众困难台账: one row per request created in the period, in scope, oldest first."""
    requests = session.scalars(
        select(Request).where(period.covers(Request.created_at), scope.requests())
        .options(selectinload(Request.place), selectinload(Request.household), selectinload(Request.holder_team),
                 selectinload(Request.holder_member), selectinload(Request.events))
        .order_by(Request.created_at, Request.id))
    rows = []
    for n, request in enumerate(requests, start=1):
        rows.append([
            n, request.ref, period.local(request.created_at),
            request.household.head_name if request.household else "名册外来电", request.caller_phone,
            request.place.name if request.place else "位置未知", word(CHANNEL, request.channel),
            word(CATEGORY, request.category), word(SUBCATEGORY, request.subcategory), request.text or ("（语音留言）" if request.recording_url else ""),
            request.holder_team.name if request.holder_team else "",
            request.holder_member.name if request.holder_member else "", period.local(request.accepted_at),
            escalation_record(request, period), word(STATUS, request.status), period.local(request.closed_at),
            SOLVED[request.solved] if request.status == "done" else "",
        ])
    return [Sheet("解决群众困难台账", COLUMNS, rows)]


def escalation_record(request: Request, period: Period) -> str:
    """Each escalation and each leader's step, one line each: '03-02 10:15 升级：3支服务队未接单'."""
    lines = []
    for event in request.events:
        if event.kind in ESCALATION_STEPS:
            who = "" if event.actor == "system" else f"（{event.actor}）"
            what = f"：{event.detail}" if event.detail else ""
            lines.append(f"{period.local(event.at):%m-%d %H:%M} {ESCALATION_STEPS[event.kind]}{who}{what}")
    return "\n".join(lines)
