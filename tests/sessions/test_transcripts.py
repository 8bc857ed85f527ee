"""Subtitle parsing: the W3C WebVTT parser algorithm on the specification's own examples and
its edge cases, SRT held to the same rules, and speakers only from voices or members."""

from __future__ import annotations

import pytest

from portal.blueprints.sessions.sources.transcripts import MAX_CUES, Cue, TranscriptFormatError, label_speakers, parse


def _plain(cues):
    return [(c.start, c.end, c.speaker, c.text) for c in cues]


# The specification's examples (WebVTT: The Web Video Text Tracks Format, W3C).

def test_spec_example_voices_without_hours():
    cues = parse("WEBVTT\n\n"
                 "00:11.000 --> 00:13.000\n<v Roger Bingham>We are in New York City\n\n"
                 "00:13.000 --> 00:16.000\n<v Roger Bingham>We're actually at the Lucern Hotel,"
                 " just down the street\n\n"
                 "00:16.000 --> 00:18.000\n<v Roger Bingham>from the American Museum of"
                 " Natural History\n")
    assert _plain(cues)[0] == (11, 13, "Roger Bingham", "We are in New York City")
    assert [c.speaker for c in cues] == ["Roger Bingham"] * 3 and cues[2].end == 18


def test_spec_example_header_text_note_identifiers_and_multiline_payload():
    cues = parse("WEBVTT - This file has cues.\n\n"
                 "NOTE\nThis is a comment.\nIt spans lines.\n\n"
                 "14\n00:01:14.815 --> 00:01:18.114\n- What?\n- Where are we now?\n\n"
                 "15\n00:01:18.171 --> 00:01:20.991\n- This is big bat country.\n\n"
                 "NOTE a note after the cues\n")
    assert [c.identifier for c in cues] == ["14", "15"]
    assert cues[0].start == pytest.approx(74.815) and cues[0].end == pytest.approx(78.114)
    assert cues[0].text == "- What? - Where are we now?"
    assert not any("comment" in c.text or "note" in c.text for c in cues)


def test_spec_example_cue_settings():
    cues = parse("WEBVTT\n\n"
                 "00:00:00.000 --> 00:00:04.000 position:10%,line-left align:left size:35%\n"
                 "Where did he go?\n\n"
                 "00:00:03.000 --> 00:00:06.500 position:90% align:right size:35%\n"
                 "I think he went down this lane.\n")
    assert _plain(cues) == [(0, 4, "", "Where did he go?"),
                            (3, 6.5, "", "I think he went down this lane.")]


def test_spec_example_style_and_region_blocks_are_not_cues():
    cues = parse("WEBVTT\n\n"
                 "STYLE\n::cue {\n  background-image: linear-gradient(to bottom, dimgray,"
                 " lightgray);\n  color: papayawhip;\n}\n"
                 "/* Style blocks cannot use blank lines nor \"dash dash greater than\" */\n\n"
                 "NOTE comment blocks can be used between style blocks.\n\n"
                 "STYLE\n::cue(b) {\n  color: peachpuff;\n}\n\n"
                 "REGION\nid:fred\nwidth:40%\nlines:3\nregionanchor:0%,100%\n"
                 "viewportanchor:10%,90%\nscroll:up\n\n"
                 "00:00:00.000 --> 00:00:10.000 region:fred align:left\n"
                 "- Hello <b>world</b>.\n\n"
                 "00:00:10.000 --> 00:00:20.000 region:fred align:left\n"
                 "<v Fred>Hi, my name is Fred\n")
    assert _plain(cues) == [(0, 10, "", "- Hello world."),
                            (10, 20, "Fred", "Hi, my name is Fred")]


def test_spec_example_voice_classes_and_several_voices_in_one_cue():
    cues = parse("WEBVTT\n\n"
                 "00:00:00.000 --> 00:00:02.000\n<v.first.loud Esme>It's a blue apple tree!\n\n"
                 "00:00:02.000 --> 00:00:04.000\n<v Mary>No it isn't!\n\n"
                 "00:00:04.000 --> 00:00:06.000\n<v.loud Esme>Yes it is!</v>\n\n"
                 "00:00:06.000 --> 00:00:08.000\n<v Esme>Hello</v> <v Mary>Hi</v>\n")
    assert [(c.speaker, c.text) for c in cues] == [
        ("Esme", "It's a blue apple tree!"), ("Mary", "No it isn't!"), ("Esme", "Yes it is!"),
        ("Esme", "Hello"), ("Mary", "Hi")]


def test_spec_example_tags_timestamps_and_character_references():
    cues = parse("WEBVTT\n\n"
                 "00:00:00.000 --> 00:00:05.000\n"
                 "<c.yellow.bg_blue>Sur</c> <i>les</i> <00:00:01.000>&lt;toits&gt; &amp;"
                 " <ruby>漢<rt>kan</rt></ruby>&nbsp;<lang en>ok</lang>\n")
    assert cues[0].text == "Sur les <toits> & 漢kan ok"  # no-break space folded too


@pytest.mark.parametrize("header", [
    "WEBVTT", "\ufeffWEBVTT", "WEBVTT - title", "WEBVTT\ttab", "WEBVTT\nKind: captions\nLanguage: ka",
])
def test_header_variants(header):
    [cue] = parse((header + "\n\n00:01.000 --> 00:02.000\nა\n").encode())
    assert (cue.start, cue.end, cue.text) == (1, 2, "ა")


@pytest.mark.parametrize("content", ["WEBVTTX\n\n00:01.000 --> 00:02.000\nა\n",
                                     "webvtt\n\n00:01.000 --> 00:02.000\nა\n",
                                     "WEBVT", "", "00:01.000 --> 00:02.000\nა\n",
                                     " WEBVTT\n\n00:01.000 --> 00:02.000\nა\n"])
def test_a_vtt_without_its_header_is_refused(content):
    with pytest.raises(TranscriptFormatError) as error:
        parse(content.encode(), "vtt")
    assert error.value.reason == "header" and error.value.line == 1


def test_an_arrow_line_starts_a_new_cue_without_a_blank_line():
    cues = parse("WEBVTT\n\n00:01.000 --> 00:02.000\nპირველი\n"
                 "00:02.000 --> 00:03.000\nმეორე\nსტრიქონი\n"
                 "00:03.000 --> 00:04.000\nმესამე")
    assert _plain(cues) == [(1, 2, "", "პირველი"), (2, 3, "", "მეორე სტრიქონი"),
                            (3, 4, "", "მესამე")]


def test_a_cue_right_after_the_header_line():
    assert parse("WEBVTT\n00:01.000 --> 00:02.000\nა")[0].text == "ა"


@pytest.mark.parametrize("stamp, seconds", [
    ("00:01.500", 1.5), ("59:59.999", 3599.999), ("00:00:01.500", 1.5), ("1:02:03.004", 3723.004),
    ("100:00:00.000", 360000),
])
def test_timestamps_with_and_without_hours(stamp, seconds):
    [cue] = parse(f"WEBVTT\n\n{stamp} --> 200:00:00.000\nა\n")
    assert cue.start == pytest.approx(seconds)


@pytest.mark.parametrize("timing", [
    "00:01.00 --> 00:02.000", "0:01.000 --> 00:02.000", "00:60.000 --> 01:02:00.000",
    "00:00:60.000 --> 01:00:00.000", "00:01,000 --> 00:02,000", "60:00.000 --> 61:00.000",
    "00:01.000 -> 00:02.000 -->", "00:01.000 --> ", "x00:01.000 --> 00:02.000",
    "00:01.000 --> 00:02", "00:01.000 00:02.000 -->",
])
def test_invalid_timestamps_are_refused_with_their_line(timing):
    content = f"WEBVTT\n\n1\n00:00.000 --> 00:01.000\nა\n\n2\n{timing}\nბ\n"
    with pytest.raises(TranscriptFormatError) as error:
        parse(content)
    assert (error.value.reason, error.value.line) == ("timing", 8)


def test_a_cue_ending_before_it_starts_is_refused():
    with pytest.raises(TranscriptFormatError) as error:
        parse("WEBVTT\n\n00:05.000 --> 00:04.000\nა\n")
    assert error.value.line == 3


def test_a_file_over_the_cue_limit_is_refused_not_cut():
    body = "".join(f"{i // 60:02d}:{i % 60:02d}.000 --> {i // 60:02d}:{i % 60:02d}.500\n{i}\n\n"
                   for i in range(4))
    assert len(parse("WEBVTT\n\n" + body, limit=4)) == 4
    with pytest.raises(TranscriptFormatError) as error:
        parse("WEBVTT\n\n" + body, limit=3)
    assert error.value.line == 12
    big = "".join(f"{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}.000 --> "
                  f"{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}.500\nს{i}\n\n"
                  for i in range(MAX_CUES + 1))
    with pytest.raises(TranscriptFormatError):
        parse("WEBVTT\n\n" + big)


def test_line_endings_and_nul():
    cues = parse(b"WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\n\xe1\x83\x90\x00\r00:02.000 --> 00:03.000\r"
                 b"\xe1\x83\x91")
    assert [c.text for c in cues] == ["ა\ufffd", "ბ"]


def test_rolling_duplicates_are_dropped():
    cues = parse("WEBVTT\n\n00:01.000 --> 00:02.000\nა\n\n00:02.000 --> 00:03.000\nა\n")
    assert len(cues) == 1


def test_not_utf8_and_no_cues_are_refused():
    for content in (b"\xff\xfe\x00W", "WEBVTT\n\nNOTE nothing\n", "not subtitles at all"):
        with pytest.raises(TranscriptFormatError):
            parse(content)


# SRT, held to the same rules.

def test_srt_blocks_numbers_and_tags():
    cues = parse("1\n00:00:01,000 --> 00:00:02,500\n<i>ჩვენ</i> {\\an8}ვიწყებთ\n\n"
                 "2\n00:00:02,500 --> 00:00:04,000 X1:10 X2:20\nმეორე\nსტრიქონი\n")
    assert [(c.identifier, c.start, c.end, c.text) for c in cues] == [
        ("1", 1, 2.5, "ჩვენ ვიწყებთ"), ("2", 2.5, 4, "მეორე სტრიქონი")]


def test_srt_timing_line_starts_a_cue_without_a_blank_line():
    cues = parse("1\n00:00:01,000 --> 00:00:02,000\nპირველი\n2\n00:00:02,000 --> 00:00:03,000\n"
                 "მეორე\r\n")
    assert [(c.identifier, c.text) for c in cues] == [("1", "პირველი"), ("2", "მეორე")]


def test_srt_text_after_a_blank_line_is_kept():
    cues = parse("1\n00:00:01,000 --> 00:00:02,000\nპირველი\n\nგაგრძელება\n\n"
                 "2\n00:00:02,000 --> 00:00:03,000\nმეორე\n")
    assert [c.text for c in cues] == ["პირველი გაგრძელება", "მეორე"]


@pytest.mark.parametrize("timing", ["00:00:01,00 --> 00:00:02,000", "00:61:01,000 --> 01:00:00,000",
                                     "1:01,000 --> 1:02,000", "00:00:01,000 -> 00:00:02,000 -->"])
def test_srt_invalid_timing_is_refused_with_its_line(timing):
    with pytest.raises(TranscriptFormatError) as error:
        parse(f"1\n00:00:00,000 --> 00:00:01,000\nა\n\n2\n{timing}\nბ\n", "srt")
    assert error.value.line == 6


def test_srt_end_before_start_and_limit():
    with pytest.raises(TranscriptFormatError) as error:
        parse("1\n00:00:05,000 --> 00:00:04,000\nა\n")
    assert error.value.line == 2
    body = "".join(f"{i}\n00:00:0{i},000 --> 00:00:0{i},500\nს{i}\n\n" for i in range(1, 5))
    with pytest.raises(TranscriptFormatError):
        parse(body, limit=3)


# Speakers: voices, or labels that name a member — never ordinary prose.

def test_labels_are_not_speakers_in_the_parser():
    [prose] = parse("1\n00:00:01,000 --> 00:00:02,000\nთემატიკა: სოფლის გზები და წყალი\n")
    assert (prose.speaker, prose.text) == ("", "თემატიკა: სოფლის გზები და წყალი")
    [heading] = parse("WEBVTT\n\n00:01.000 --> 00:02.000\nდღის წესრიგი: ბიუჯეტი\n")
    assert heading.speaker == "" and heading.text == "დღის წესრიგი: ბიუჯეტი"


def test_labels_naming_a_member_become_speakers():
    labels = {"მაია გოგუა": "მაია გოგუა", "maia gogua": "მაია გოგუა"}
    cues = [Cue(1, 2, "მაია გოგუა: სოფლის გზები"), Cue(2, 3, "Maia  Gogua: roads"),
            Cue(3, 4, "თემატიკა: სოფლის გზები"), Cue(4, 5, "ნინო: სხვა", "ნინო")]
    assert [(c.speaker, c.text) for c in label_speakers(cues, labels)] == [
        ("მაია გოგუა", "სოფლის გზები"), ("მაია გოგუა", "roads"),
        ("", "თემატიკა: სოფლის გზები"), ("ნინო", "ნინო: სხვა")]
