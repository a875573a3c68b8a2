"""The two ledgers read from the roster: 团队统计表 (each team, its people by role and kind, its vehicles) and
应急值班安排表 (each duty shift in the period: lead, members on duty, vehicle)."""
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import DutyShift, Member, MemberKind, MemberRole, Team

from .period import Period, in_places
from .sheet import Column, Sheet
from .words import KIND, ROLE, word

ROLES = tuple(MemberRole)
KINDS = tuple(MemberKind)


def team_sheets(session, scope, period: Period) -> list[Sheet]:
    """团队统计表: one row per team in scope, as the roster stands now."""
    teams = session.scalars(
        select(Team).where(in_places(scope, Team.place_id))
        .options(selectinload(Team.place), selectinload(Team.members), selectinload(Team.vehicles)))
    columns = [Column("序号", 6), Column("嘎查（社区）", 18), Column("服务队", 30), Column("队长", 12),
               Column("队长电话", 16), Column("总人数", 8)]
    columns += [Column(f"{ROLE[role]}（人）", 9) for role in ROLES]
    columns += [Column(f"{KIND[kind]}（人）", 11) for kind in KINDS] + [Column("未填身份（人）", 11)]
    columns += [Column("成员名单", 48), Column("车辆数", 8), Column("应急车辆", 30)]
    rows = []
    for n, team in enumerate(sorted(teams, key=lambda t: (t.place.name, t.code)), start=1):
        roles = Counter(member.role for member in team.members)
        kinds = Counter(member.kind for member in team.members)
        captains = [m for m in team.members if m.role == MemberRole.captain]
        rows.append([
            n, team.place.name, team.name, "、".join(m.name for m in captains),
            "、".join(m.phone for m in captains), len(team.members),
            *(roles[role] for role in ROLES), *(kinds[kind] for kind in KINDS), kinds[None],
            "\n".join(_member_line(m) for m in team.members), len(team.vehicles),
            "\n".join(f"{v.plate}（{v.kind}，{v.seats}座）" for v in team.vehicles),
        ])
    return [Sheet("团队统计表", columns, rows)]


def _member_line(member: Member) -> str:
    """'巴特尔 队长·网格员 +8613900000011'."""
    who = ROLE.get(member.role, str(member.role)) + (f"·{word(KIND, member.kind)}" if member.kind else "")
    return f"{member.name} {who} {member.phone}"


def shift_sheets(session, scope, period: Period) -> list[Sheet]:
    """应急值班安排表: one row per duty shift that touches the period, in start order."""
    shifts = session.scalars(
        select(DutyShift).join(Team).where(in_places(scope, Team.place_id), DutyShift.starts_at < period.end,
                                           DutyShift.ends_at > period.start)
        .options(selectinload(DutyShift.team).selectinload(Team.place),
                 selectinload(DutyShift.team).selectinload(Team.members), selectinload(DutyShift.vehicle),
                 selectinload(DutyShift.lead), selectinload(DutyShift.listed_members))
        .order_by(DutyShift.starts_at, DutyShift.id))
    columns = [Column("序号", 6), Column("嘎查（社区）", 18), Column("服务队", 30), Column("开始", 17), Column("结束", 17),
               Column("带班", 12), Column("带班电话", 16), Column("值班人员", 40), Column("值班人数", 9),
               Column("应急车辆", 26)]
    rows = []
    for n, shift in enumerate(shifts, start=1):
        on_duty = shift.on_duty
        vehicle = f"{shift.vehicle.plate}（{shift.vehicle.kind}）" if shift.vehicle else "无"
        rows.append([
            n, shift.team.place.name, shift.team.name, period.local(shift.starts_at), period.local(shift.ends_at),
            shift.lead.name if shift.lead else "", shift.lead.phone if shift.lead else "",
            "\n".join(f"{m.name} {m.phone}" for m in on_duty), len(on_duty), vehicle,
        ])
    return [Sheet("应急值班安排表", columns, rows)]
