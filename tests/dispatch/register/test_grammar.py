"""The register's words, read pure: a member's V report in every spelling, and a household's 平安."""
import pytest

from dispatch.register.grammar import VisitReport, is_all_well, read_visit_report


@pytest.mark.parametrize("text, report", [
    ("V 2 1", VisitReport("2", "well")),
    ("v2 1", VisitReport("2", "well")),
    ("访 3 3", VisitReport("3", "not_reached")),
    ("V H0001 好", VisitReport("H0001", "well")),
    ("V 2 2 1 缺降压药", VisitReport("2", "needs_help", 1, "缺降压药")),
    ("V 2 2 8", VisitReport("2", "needs_help", None, "8")),  # not a category: kept as words
    ("В 1 сайн", VisitReport("1", "well")),
    ("V 1 ᠰᠠᠶᠢᠨ", VisitReport("1", "well")),
    ("Ｖ　２　１", VisitReport("2", "well")),  # a Chinese keyboard's full-width letters and spaces
    ("V", VisitReport(None, None)),
    ("V 2", VisitReport("2", None)),
    ("V 2 很好", VisitReport("2", None)),
])
def test_visit_reports(text, report):
    assert read_visit_report(text) == report


@pytest.mark.parametrize("text", ["Vitamin", "1", "验证码", "", None, "访问"])
def test_other_texts_are_not_visit_reports(text):
    assert read_visit_report(text) is None


@pytest.mark.parametrize("text, well", [("平安", True), ("平安！", True), ("Амар байна", True), ("ᠠᠮᠤᠷ", True),
                                        ("1", False), ("好", False), ("平安吗？帮我买药", False)])
def test_only_the_check_ins_own_word_says_all_is_well(text, well):
    assert is_all_well(text) is well
