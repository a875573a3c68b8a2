"""Mongolian texts name places and teams by name_mn (traditional script); Cyrillic and Chinese texts by name."""
from models import Language, db
from tests.dispatch.ladder.test_ladder import dispatch, sent_to, text  # noqa: F401 (fixture)

GACHA_MN = "\u182c\u1820\u1837\u1822\u182d\u1826\u1828\u1832\u1826"  # ᠬᠠᠷᠢᠭᠦᠨᠲᠦ Harigüntü (哈日根图)
TEAM_MN = "\u1828\u1822\u182d\u1821\u1833\u1826\u182d\u1821\u1837 \u182a\u1820\u182d"  # ᠨᠢᠭᠡᠳᠦᠭᠡᠷ ᠪᠠᠭ first team


def test_each_member_reads_the_place_in_their_script_and_the_herder_the_team(app, text, make):
    gacha = make.gacha(name="哈日根图嘎查")
    gacha.name_mn = GACHA_MN
    herder = make.household(place=gacha, language="mn", name="巴特尔")
    team = make.team(name="第一小分队", place=gacha, members=0)
    team.name_mn = TEAM_MN
    traditional = make.member(team, language="mn")
    cyrillic = make.member(team, language="mn")
    cyrillic.sms_language = Language.mn_cyrl
    chinese = make.member(team, language="zh")
    db.session.commit()

    text(herder.phones[0].phone, "\u1821\u182e")  # ᠡᠮ medicine
    request = dispatch(app)
    [to_traditional], [to_cyrillic], [to_chinese] = (sent_to(m.phone) for m in (traditional, cyrillic, chinese))
    assert GACHA_MN in to_traditional and "哈日根图嘎查" not in to_traditional
    assert "哈日根图嘎查" in to_cyrillic and "Эм" in to_cyrillic  # Cyrillic phones may not show the script
    assert "哈日根图嘎查" in to_chinese and "送药" in to_chinese

    text(traditional.phone, "1")
    [assigned] = sent_to(herder.phones[0].phone)
    assert TEAM_MN in assigned and "第一小分队" not in assigned  # the herder reads the team's Mongolian name
    [taken] = sent_to(chinese.phone)[1:]
    assert "第一小分队" in taken and TEAM_MN not in taken


def test_a_place_without_name_mn_falls_back_to_its_chinese_name(app, text, make):
    gacha = make.gacha(name="巴音乌苏嘎查")
    herder = make.household(place=gacha, language="mn")
    team = make.team(place=gacha, members=0)
    member = make.member(team, language="mn")
    db.session.commit()
    text(herder.phones[0].phone, "1")
    dispatch(app)
    [offer] = sent_to(member.phone)
    assert "巴音乌苏嘎查" in offer and "\u1821\u182e" in offer  # ᠡᠮ: the rest in the script
