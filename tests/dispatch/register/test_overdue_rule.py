"""The overdue rule is read two ways: household by household in Python (rules.state_of, for the register page
and the round) and for a whole scope in SQL (rules.overdue_households, for the digest). Over many generated
contact histories and settings, both must name the same households, in the same order."""
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dispatch.register import rules
from models import ContactOutcome, Risk, db
from tests.factories import Factory

NOW = datetime(2026, 3, 20, 2, tzinfo=timezone.utc)  # 10:00 in Beijing
DAY_MINUTES = 24 * 60

RULES = st.fixed_dictionaries({
    "CHECKIN_DAYS": st.integers(1, 10),
    "CHECKIN_DAYS_RED": st.integers(1, 10),
    "CHECKIN_GRACE_DAYS": st.integers(0, 4),
})
# Minutes before NOW (negative: after it, a contact recorded ahead of a fake clock). Whole days are drawn often,
# since the rule's edges (interval plus grace, to the minute) lie on them.
AGES = st.one_of(st.integers(-2 * DAY_MINUTES, 30 * DAY_MINUTES),
                 st.integers(-2, 30).map(lambda days: days * DAY_MINUTES),
                 st.integers(1, 14).flatmap(lambda days: st.sampled_from(
                     [days * DAY_MINUTES - 1, days * DAY_MINUTES + 1])))
CONTACTS = st.lists(st.tuples(AGES, st.sampled_from(list(ContactOutcome))), max_size=4)
HOUSEHOLDS = st.lists(st.fixed_dictionaries({
    "risk": st.sampled_from([None, *Risk]),
    "needs": st.sampled_from(["", "elderly_alone", "disabled;pregnant"]),
    "contacts": CONTACTS,
}), min_size=1, max_size=8)


def listed_overdue_in_python(session, households, now, rule):
    """Who the register page marks overdue, longest overdue first (never reached first, then by roster ref)."""
    state = rules.states(session, households, now, rule)
    overdue = [h for h in households if h.on_register and state[h.id].overdue]
    return sorted(overdue, key=lambda h: (state[h.id].reached_at is not None, state[h.id].reached_at or now, h.ref))


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rule=RULES, drawn=HOUSEHOLDS)
def test_the_digest_and_the_register_page_list_the_same_households_overdue(ctx, rule, drawn):
    rule = dict(rule, TIMEZONE="Asia/Shanghai")
    make = Factory(db.session)  # a roster of its own: each example is rolled back
    try:
        gacha = make.gacha()
        households = []
        for n, spec in enumerate(drawn):
            home = make.register_household(place=gacha, needs=spec["needs"], risk=spec["risk"], name=f"户{n}")
            for age, outcome in spec["contacts"]:
                make.contact(home, NOW - timedelta(minutes=age), outcome=outcome)
            households.append(home)
        make.session.flush()
        expected = listed_overdue_in_python(make.session, households, NOW, rule)
        assert rules.overdue_households(make.session, None, NOW, rule) == expected
        assert rules.overdue_households(make.session, {gacha.id}, NOW, rule) == expected
    finally:
        db.session.rollback()
