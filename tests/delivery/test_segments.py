"""SMS encoding, segment counting, cost and Georgian → Latin transliteration."""

from __future__ import annotations

import pytest

from portal.services.sms.segments import is_gsm7, segment_info, transliterate

GREETING = "გამარჯობა! ფოთის მუნიციპალიტეტის საკრებულოს სხდომა ხვალ, 15:00 საათზე გაიმართება."


@pytest.mark.parametrize(("length", "segments"), [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3)])
def test_georgian_is_ucs2_70_then_67_a_segment(length, segments):
    text = ("ა" * length)
    info = segment_info(text)
    assert (info.encoding, info.length, info.segments) == ("UCS-2", length, segments)


@pytest.mark.parametrize(("length", "segments"), [(160, 1), (161, 2), (306, 2), (307, 3)])
def test_latin_is_gsm7_160_then_153_a_segment(length, segments):
    info = segment_info("a" * length)
    assert (info.encoding, info.segments) == ("GSM-7", segments)


def test_extension_characters_take_two_septets():
    info = segment_info("€" * 80)
    assert (info.encoding, info.length, info.segments) == ("GSM-7", 160, 1)
    assert segment_info("€" * 81).segments == 2


def test_a_real_georgian_announcement():
    info = segment_info(GREETING)
    assert info.encoding == "UCS-2" and info.length == len(GREETING) == 81
    assert info.segments == 2 and info.remaining == 2 * 67 - 81


@pytest.mark.parametrize(("georgian", "latin"), [
    ("ფოთი", "poti"),
    ("აბაშა", "abasha"),
    ("ქუთაისი", "kutaisi"),
    ("თბილისი", "tbilisi"),
    ("წყალტუბო", "tsqaltubo"),
    ("ჭიათურა", "chiatura"),
    ("ღვინო", "ghvino"),
    ("ჟურნალი", "zhurnali"),
    ("ძმა", "dzma"),
    ("ხაშური", "khashuri"),
    ("მალთაყვა", "maltaqva"),
    ("ᲤᲝᲗᲘ", "POTI"),  # Mtavruli capitals
])
def test_national_transliteration(georgian, latin):
    assert transliterate(georgian) == latin


def test_ejectives_can_be_marked_with_apostrophes():
    assert transliterate("პეტიცია", mark_ejectives=True) == "p'et'itsia"
    assert transliterate("პეტიცია") == "petitsia"


def test_transliterated_georgian_fits_gsm7():
    latin = transliterate("„" + GREETING + "“ — №5")
    assert is_gsm7(latin)
    assert latin.startswith('"gamarjoba! potis munitsipalitetis sakrebulos skhdoma khval')
    info = segment_info(latin)
    assert info.encoding == "GSM-7" and info.segments == 1
    assert segment_info(GREETING).segments == 2  # the same text in Georgian letters
