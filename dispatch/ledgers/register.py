"""困难群体统计表: every household on the register in scope (its needs, risk colour, paired contact, last contact),
and a second sheet of totals per gacha, category and colour."""
from collections import Counter, defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from models import NEEDS, Contact, Household, Member, Risk

from ..register.rules import on_register
from .period import Period, in_places
from .sheet import Column, Sheet
from .words import CONTACT, NEED, OUTCOME, RISK, word

COLOURS = (Risk.red, Risk.yellow, Risk.green, None)


def last_contacts(session, household_ids, before) -> dict[int, Contact]:
    """Each household's latest contact before the moment `before` (any outcome), by household id
    (`household_ids`: a list, or a select of them, which keeps a banner's thousands out of the query's text)."""
    ranked = (select(Contact.id, func.row_number().over(partition_by=Contact.household_id,
                                                        order_by=(Contact.at.desc(), Contact.id.desc())).label("n"))
              .where(Contact.household_id.in_(household_ids), Contact.at < before).subquery())
    latest = session.scalars(select(Contact).join(ranked, ranked.c.id == Contact.id).where(ranked.c.n == 1))
    return {contact.household_id: contact for contact in latest}


def household_sheets(session, scope, period: Period) -> list[Sheet]:
    """困难群体统计表 and its totals: the register as it stands, with each household's last contact up to the
    period's end."""
    chosen = (on_register(), in_places(scope, Household.place_id))
    households = list(session.scalars(select(Household).where(*chosen).options(
        selectinload(Household.place), selectinload(Household.phones))))
    households.sort(key=lambda h: (h.place.name, h.ref))
    contacts = last_contacts(session, select(Household.id).where(*chosen), period.end)
    members = {m.phone: m for m in session.scalars(select(Member).where(
        Member.phone.in_(select(Household.contact_phone).where(*chosen))))}
    columns = [Column("序号", 6), Column("嘎查（社区）", 18), Column("户号", 12), Column("户主", 12), Column("联系电话", 16),
               Column("类别", 28), Column("风险等级", 9), Column("包联人", 14), Column("包联人电话", 16),
               Column("最近联系", 17), Column("联系方式", 16), Column("联系结果", 12)]
    rows = []
    for n, household in enumerate(households, start=1):
        member = members.get(household.contact_phone)
        contact = contacts.get(household.id)
        rows.append([
            n, household.place.name, household.ref, household.head_name, "；".join(p.phone for p in household.phones),
            "、".join(word(NEED, need) for need in household.need_list), word(RISK, household.risk),
            member.name if member else (household.contact_name or ""), household.contact_phone or "",
            period.local(contact.at) if contact else "从未联系", word(CONTACT, contact.channel) if contact else "",
            word(OUTCOME, contact.outcome) if contact else "",
        ])
    return [Sheet("困难群体统计表", columns, rows), totals_sheet(households)]


def totals_sheet(households) -> Sheet:
    """合计: per gacha, the households on the register, by category and by colour; a last row for them all."""
    per_place = defaultdict(Counter)
    for household in households:
        for counts in (per_place[household.place.name], per_place[None]):
            counts["households"] += 1
            counts.update(household.need_list)
            counts[household.risk] += 1
    columns = [Column("嘎查（社区）", 18), Column("户数", 8)] + [Column(NEED[need], 12) for need in NEEDS]
    columns += [Column(f"{RISK[colour]}色", 8) for colour in COLOURS if colour] + [Column("未标颜色", 9)]
    rows = [[name or "合计", counts["households"], *(counts[need] for need in NEEDS),
             *(counts[colour] for colour in COLOURS)]
            for name, counts in sorted(per_place.items(), key=lambda item: (item[0] is None, item[0] or ""))]
    return Sheet("合计", columns, rows or [["合计", 0, *(0 for _ in NEEDS), *(0 for _ in COLOURS)]])
