"""What residents type to share medicine or report prices, and the catalogue services read from words: tables."""
import pytest

from dispatch.requests.subcategories import detect_subcategory
from dispatch.sharing.grammar import is_price_report, read_share


@pytest.mark.parametrize("text, kind, item, quantity", [
    ("有 退烧药 2", "have", "fever", 2),
    ("我家有多余的布洛芬3盒", "have", "fever", 3),
    ("剩下两盒布洛芬可以给邻居", "have", "fever", 2),
    ("有 口罩 两盒", "have", "mask", 2),
    ("有 kn95 10", "have", "mask", 10),  # a mask's model is not a count
    ("需 抗原", "need", "antigen", 1),
    ("需要退烧药", "need", "fever", 1),
    ("有没有抗原", "need", "antigen", 1),  # asking whether anyone has it
    ("谁有退烧药？", "need", "fever", 1),
    ("有退烧药吗", "need", "fever", 1),
    ("需 布洛芬 300mg 2盒", "need", "fever", 2),  # a dose is not a count
    ("需 抗原 ５", "need", "antigen", 5),  # a full-width digit
    ("антиген хэрэгтэй", "need", "antigen", 1),
    ("халууны эм хэрэгтэй", "need", "fever", 1),
    ("парацетамол 2 байна", "have", "fever", 2),
    ("ᠬᠠᠯᠠᠭᠤᠨ ᠪᠠᠭᠤᠯᠭᠠᠬᠤ ᠡᠮ ᠬᠡᠷᠡᠭᠲᠡᠢ", "need", "fever", 1),
    ("antigen heregtei", "need", "antigen", 1),
])
def test_a_have_or_a_need_names_the_item_and_how_many(text, kind, item, quantity):
    share = read_share(text)
    assert (share.kind, share.item, share.quantity) == (kind, item, quantity)


@pytest.mark.parametrize("text", [
    "1", "送药", "有人发烧", "эм хэрэгтэй", "退烧药", "家里没电了", "", None,
    "电话13912345678 有退烧药",  # has it, but does not open with it: not read as a have
])
def test_other_texts_stay_on_the_herders_path(text):
    assert read_share(text) is None


@pytest.mark.parametrize("text, is_report", [
    ("药店哄抬物价", True), ("卖假药", True), ("退烧药涨价了，一盒一百", True), ("хуурамч эм зарж байна", True),
    ("huuramch em", True), ("退烧药", False), ("有点贵", False), ("1", False),
])
def test_price_gouging_and_fake_goods_are_reports(text, is_report):
    assert is_price_report(text) is is_report


@pytest.mark.parametrize("text, code", [
    ("想网上挂号", "online_booking"), ("帮我在互联网医院看病", "online_booking"), ("抗原两道杠怎么办", "self_test"),
    ("没饭吃", "meals"), ("低保怎么办理", "policy"), ("一个人孤单想找人说说话", "emotional"),
    ("想让干部来看看我", "visit"), ("тэтгэвэр хэзээ", "policy"), ("送药", None), ("", None),
])
def test_the_catalogue_service_is_read_from_the_words(text, code):
    assert detect_subcategory(text) == code
