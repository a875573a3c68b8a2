"""The notice's service catalogue beyond the menu's digits: which service a request is (visits, emotional
support, online booking / internet hospital, meals, policy, self-testing), read from its words. Pure.

The caller's menu stays as it is; a sub-category only tells leaders what the request is about, and a leader
may set it on the request's page. The Mongolian spellings are to be reviewed by a native speaker.
"""
from ..messaging.words import first_named, folded_all

# Checked in this order: the first whose word is in the text names it ("网上挂号" is booking, not a visit).
_WORDS = {
    "online_booking": ("挂号", "预约", "网上看病", "网上问诊", "线上问诊", "在线问诊", "互联网医院", "视频看病",
                       "网上缴费", "网上交费", "手机上看病", "онлайн", "цаг авах", "цаг захиал", "цахим эмнэлэг",
                       "ᠣᠨᠯᠠᠢᠨ", "online", "tsag avah"),
    "self_test": ("自测", "抗原", "试剂", "阳性", "阴性", "两道杠", "两条杠", "一道杠", "核酸", "检测结果",
                  "тест", "антиген", "эерэг", "сөрөг", "шинжилгээ", "ᠰᠢᠨᠵᠢᠯᠭᠡ", "test", "antigen"),
    "meals": ("送饭", "送餐", "做饭", "没饭吃", "饭菜", "盒饭", "吃饭", "午饭", "晚饭", "хоол", "ᠬᠣᠭᠣᠯᠠ", "hool"),
    "policy": ("政策", "补贴", "补助", "低保", "医保", "报销", "养老金", "怎么办理", "规定", "бодлого", "тэтгэмж",
               "тэтгэвэр", "даатгал", "ᠪᠣᠳᠣᠯᠭ᠎ᠠ", "ᠲᠡᠳᠭᠦᠮᠵᠢ", "bodlogo", "tetgever", "tetgemj"),
    "emotional": ("孤单", "孤独", "寂寞", "聊天", "说说话", "说话", "心里难受", "心情不好", "害怕", "焦虑", "睡不着",
                  "想哭", "想家", "ганцаард", "ярилц", "сэтгэл", "санаа зов", "ᠭᠠᠨᠴᠠᠭᠠᠷᠳᠠ", "ᠰᠡᠳᠬᠢᠯ",
                  "gantsaard", "yarilts", "setgel"),
    "visit": ("走访", "探望", "看望", "慰问", "来看看", "来看我", "上门看", "看看我", "айлч", "эргэж ир", "уулз",
              "ᠠᠶᠢᠯᠴᠢᠯᠠ", "ᠤᠴᠠᠷᠠ", "ailch", "uulz"),
}
SUBCATEGORIES = tuple(_WORDS)  # the codes, in the order leaders choose from
# The field's words, for timelines and ledgers (the dashboard translates its own copy in hotline/dashboard/labels.py).
NAMES = {"online_booking": "网上预约挂号、互联网医院", "self_test": "自测咨询", "meals": "送餐", "policy": "政策咨询",
         "emotional": "心理疏导、情感陪伴", "visit": "走访慰问"}
_FOLDED = {code: folded_all(words) for code, words in _WORDS.items()}


def detect_subcategory(text: str | None) -> str | None:
    """The catalogue service the words name, or None when they name none."""
    return first_named(text, _FOLDED)
