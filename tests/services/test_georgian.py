"""The Georgian stemmer (every form of a word gives one key) and Latin typing read as Georgian."""

from __future__ import annotations

import pytest

from portal.services.georgian import latin
from portal.services.georgian.stem import stem, stems

#: Forms of one word each: every form must give the same key.
WORD_FORMS = [
    # the examples: a truncating -ა stem, a place name, syncope before -ის/-ებ-
    "მალთაყვა მალთაყვის მალთაყვაში მალთაყვასთან მალთაყვამ მალთაყვით მალთაყვიდან მალთაყვამდე "
    "მალთაყვისთვის მალთაყვაზე მალთაყვისკენ მალთაყვას მალთაყვასავით მალთაყვისგან",
    "ფოთი ფოთს ფოთის ფოთში ფოთმა ფოთით ფოთიდან ფოთამდე ფოთისთვის ფოთზე ფოთთან ფოთად ფოთო",
    "უბანი უბნის უბნები უბნებში უბანში უბნებისთვის უბანს უბნით უბნებს უბანმა უბნებზე",
    "ფანჯარა ფანჯრის ფანჯრები ფანჯარაში ფანჯრებით",
    # consonant stems: every case, postpositions, plural, old plural
    "ქალაქი ქალაქის ქალაქში ქალაქებში ქალაქებისთვის ქალაქამდე ქალაქისკენ ქალაქმა ქალაქებმა "
    "ქალაქთან ქალაქივით ქალაქისა ქალაქად ქალაქით ქალაქიდან ქალაქისადმი ქალაქები ქალაქთა",
    "ბიუჯეტი ბიუჯეტის ბიუჯეტში ბიუჯეტმა ბიუჯეტით ბიუჯეტზე ბიუჯეტები ბიუჯეტისთვის ბიუჯეტს",
    "პორტი პორტის პორტში პორტმა პორტთან პორტები პორტიდან",
    "თბილისი თბილისის თბილისში თბილისს თბილისისთვის თბილისიდან თბილისმა",
    # -ო, -ე and -ია stems
    "საკრებულო საკრებულოს საკრებულოში საკრებულომ საკრებულოსთვის საკრებულოდან საკრებულოზე "
    "საკრებულოსთან საკრებულოები",
    "მოქალაქე მოქალაქის მოქალაქეები მოქალაქეებს მოქალაქეთა მოქალაქეებთან მოქალაქემ",
    "საავადმყოფო საავადმყოფოს საავადმყოფოში საავადმყოფოთი საავადმყოფოები",
    "მერია მერიის მერიაში მერიამ მერიას მერიასთან მერიიდან",
    # -ა stems, short ones too
    "სკოლა სკოლის სკოლები სკოლებში სკოლაში სკოლამ სკოლებისთვის",
    "გზა გზის გზები გზებზე გზაზე გზამ",
    "ზღვა ზღვის ზღვაში ზღვაზე ზღვამდე",
    "ქუჩა ქუჩის ქუჩები ქუჩებზე ქუჩაზე ქუჩაში",
    "პროგრამა პროგრამის პროგრამაში პროგრამამ პროგრამები პროგრამით",
    "თემა თემის თემაზე თემები",
    # syncope
    "მოედანი მოედნის მოედანზე მოედნები მოედანს",
    "სოფელი სოფლის სოფლები სოფლებში სოფელში სოფელს",
    "წელი წლის წლები წელს წლებში წლით",
    "ქვეყანა ქვეყნის ქვეყნები ქვეყანაში",
    "გამგებელი გამგებლის გამგებლები გამგებელმა",
    # verbal nouns in -ება, adjectives
    "განვითარება განვითარების განვითარებისთვის განვითარებაში",
    "დიდი დიდმა დიდს დიდის დიდ დიდად",
    "ახალი ახლის ახალმა ახალ ახლები",
    "ადგილობრივი ადგილობრივმა ადგილობრივს ადგილობრივ ადგილობრივები",
]


@pytest.mark.parametrize("forms", WORD_FORMS, ids=lambda forms: forms.split()[0])
def test_every_form_of_a_word_gives_one_key(forms):
    keys = {word: stem(word) for word in forms.split()}
    assert len(set(keys.values())) == 1, keys


#: Different words that must keep different keys.
DIFFERENT = [("ფოთი", "ფორუმი"), ("ქალაქი", "ქალბატონი"), ("სკოლა", "სკვერი"),
             ("უბანი", "უბედურება"), ("ბიუჯეტი", "ბიურო"), ("პორტი", "პროექტი"),
             ("გზა", "გზავნილი"), ("თბილისი", "თბილი"), ("წელი", "წყალი"), ("ზღვა", "ზონა")]


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_words_keep_different_keys(one, other):
    assert stem(one) != stem(other)


def test_other_words_pass_unchanged():
    assert stem("2024") == "2024"
    assert stem("budget") == "budget"
    assert stem("და") == "და"  # under three letters
    assert stems(["ფოთი", "ფოთს", "ქალაქი"]) == ["ფოთ", "ქალაქ"]


@pytest.mark.parametrize(("typed", "georgian"), [
    ("maltakva", "მალთაყვა"), ("sakrebulo", "საკრებულო"), ("biujeti", "ბიუჯეტი"),
    ("chven", "ჩვენ"), ("t'bilisi", "თბილისი"), ("tbilisi", "თბილისი"),
    ("saqartvelo", "საქართველო"), ("wyali", "წყალი"), ("ts'q'ali", "წყალი"),
    ("xalxi", "ხალხი"), ("poti", "ფოთი"), ("ubani", "უბანი"), ("k'alak'i", "კალაკი"),
    ("kalaki", "ქალაქი"), ("zhurnalisti", "ჟურნალისტი"), ("ghamit", "ღამით"),
    ("dzveli", "ძველი"), ("chkari", "ჩქარი"), ("ch'a", "ჭა"), ("jgupi", "ჯგუფი"),
    ("khidi", "ხიდი"), ("biudzheti", "ბიუჯეტი"), ("shenoba", "შენობა"), ("portshi", "პორტში"), ("moedani", "მოედანი"),
])
def test_latin_spellings_include_the_georgian_word(typed, georgian):
    assert georgian in latin.spellings(typed, limit=4096)


def test_the_national_spelling_comes_first():
    assert latin.spelling("sakrebulo") == "საკრებულო"
    assert latin.spelling("shenoba") == "შენობა"
    assert latin.has_georgian("ფოთი poti") and not latin.has_georgian("poti")
    assert latin.is_latin("t'bilisi") and not latin.is_latin("2024")
    # a word splitter that cuts at punctuation keeps t'bilisi one word
    assert latin.keep_apostrophes("t'bilisi, 'poti'") == "tʼbilisi, 'poti'"
    assert "თბილისი" in latin.spellings("tʼbilisi")


def test_candidates_keep_the_spellings_the_archive_knows():
    vocabulary = {"მალთაყვის", "მალთაყვ", "საკრებულოს", "საკრებულ", "ფოთი", "ფოთ"}

    def has_prefix(prefix):
        return any(w.startswith(prefix) for w in vocabulary)

    def known(words):
        return set(words) & vocabulary

    def find(word):
        return latin.candidates(word, has_prefix, known, stem)

    assert find("maltakvis") == ["მალთაყვის"]
    assert find("sakreb") == ["საკრებ"]  # typed halfway: a known word starts with it
    assert find("poti") == ["ფოთი"]
    # no known word starts with it, but its stem is known (another form of the word)
    assert find("maltakvashi") == ["მალთაყვაში"]
    assert find("budget") == []
