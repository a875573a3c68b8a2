"""What a ledger covers, read from what people type: defaults to a month, clear sentences for bad input."""
import zoneinfo
from datetime import date, datetime, timezone

import pytest

from dispatch.ledgers.period import LedgerError, Period, place_scope, read_period

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 2, 14)


@pytest.mark.parametrize("since, until, first, last", [
    (None, None, date(2026, 2, 1), date(2026, 2, 28)),  # this month
    ("2026-01-15", None, date(2026, 1, 15), date(2026, 1, 31)),  # to the end of that month
    (None, "2025-12-10", date(2025, 12, 1), date(2025, 12, 10)),  # from the start of that month
    ("2026-01-05", "2026-03-02", date(2026, 1, 5), date(2026, 3, 2)),
    (" 2026-02-14 ", "2026-02-14", TODAY, TODAY),  # one day
    ("2024-02-03", None, date(2024, 2, 3), date(2024, 2, 29)),  # a leap year's February
])
def test_read_period(since, until, first, last):
    period = read_period(since, until, TODAY, ZONE)
    assert (period.since, period.until) == (first, last)


@pytest.mark.parametrize("since, until, says", [
    ("yesterday", None, "--since must be a date written YYYY-MM-DD, not 'yesterday'."),
    (None, "2026-02-30", "--until must be a date written YYYY-MM-DD, not '2026-02-30'."),
    ("1900-01-01", None, "--since '1900-01-01' is not a year this service has records for."),
    ("2026-03-02", "2026-03-01", "--until (2026-03-01) is before --since (2026-03-02)."),
])
def test_bad_dates_are_refused_with_a_sentence(since, until, says):
    with pytest.raises(LedgerError) as refused:
        read_period(since, until, TODAY, ZONE)
    assert str(refused.value) == says


def test_the_period_runs_from_local_midnight_to_local_midnight():
    period = Period(date(2026, 3, 1), date(2026, 3, 31), ZONE)
    assert period.start == datetime(2026, 2, 28, 16, tzinfo=timezone.utc)  # 00:00 in Beijing
    assert period.end == datetime(2026, 3, 31, 16, tzinfo=timezone.utc)
    assert period.local(datetime(2026, 3, 1, 1, 30, 5, 999, tzinfo=timezone.utc)) == datetime(2026, 3, 1, 9, 30, 5)
    assert period.label() == "2026-03-01至2026-03-31"


def test_place_scope_names_the_place_and_refuses_an_unknown_code(ctx, make):
    gacha = make.gacha(name="北嘎查")
    scope, name = place_scope(make.session, gacha.code)
    assert name == "北嘎查" and scope.place_ids == {gacha.id} and not scope.unplaced
    scope, name = place_scope(make.session, gacha.parent.code)
    assert name == "昂素镇" and scope.place_ids == {gacha.id, gacha.parent.id} and scope.unplaced
    assert place_scope(make.session, None)[1] == "昂素镇"  # everything; one township, so named by it
    with pytest.raises(LedgerError, match="No place has the code '999'"):
        place_scope(make.session, "999")
