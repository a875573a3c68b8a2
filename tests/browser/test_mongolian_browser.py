"""The dashboard in Mongolian in a real browser: the traditional script, in its vertical layout, drawn with the
Noto Sans Mongolian the dashboard ships. A screenshot of the board in Mongolian is made on the way (SHOTS)."""
from models import db

from .test_charts_browser import sign_in
from .test_dashboard_browser import SHOTS, browser, sent_to, served  # noqa: F401 (fixtures)

BOARD_MN = "\u1833\u1820\u182d\u1824\u1830\u1824\u182d\u1830\u1820\u1828 \u1826\u182d\u1821\u1822"  # 未结求助 begins
GACHA_MN = "\u182c\u1820\u1837\u1820\u182d\u1820\u1828\u1820\u1832\u1824 \u182d\u1820\u1834\u1820\u182d\u180e\u1820"


def test_the_board_in_mongolian_is_in_the_traditional_script_vertical_and_in_its_font(served, browser, make):  # noqa: F811
    gacha = make.gacha(name="哈日根图嘎查")
    gacha.name_mn = GACHA_MN
    make.team(place=gacha, members=2)
    leader = make.leader(gacha, language="mn")
    db.session.commit()
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    sign_in(page, served.base_url, leader)
    page.goto(served.base_url + "/dashboard/")
    page.evaluate("document.fonts.ready")
    seen = page.evaluate("""() => {
        const h1 = document.querySelector('main h1'), style = getComputedStyle(h1), box = h1.getBoundingClientRect();
        const face = [...document.fonts].find(f => f.family.replace(/"/g, '') === 'Noto Sans Mongolian');
        return {lang: document.documentElement.lang, text: h1.innerText, writing: style.writingMode,
                font: style.fontFamily, tall: box.height > box.width, face: face && face.status,
                usable: document.fonts.check('20px "Noto Sans Mongolian"', '\u182e\u1823\u1829\u182d\u1823\u182f'),
                who: document.querySelector('.who').innerText};
    }""")
    assert seen["lang"] == "mn-Mong" and seen["text"].startswith(BOARD_MN)
    assert seen["writing"] == "vertical-lr" and seen["tall"]  # the heading stands as the script is written
    assert seen["font"].startswith('"Noto Sans Mongolian"') and seen["face"] == "loaded" and seen["usable"]
    assert GACHA_MN in seen["who"]  # the leader's gacha by its Mongolian name
    page.screenshot(path=str(SHOTS / "board-mn.png"), full_page=True)
    assert sent_to(leader.phone, "login_code")  # signed in with the SMS code, as in Chinese
