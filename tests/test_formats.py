"""Dates, times and file sizes: one set of filters, the page's language, no seconds."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from portal.i18n import date_time, file_size, time_of_day

TEMPLATES = Path(__file__).resolve().parent.parent / "portal" / "templates"
#: Babel's own filters and strftime write dates in several styles, and times with seconds.
OTHER_FORMATTERS = re.compile(r"\|\s*(dateformat|datetimeformat|timeformat)\b|strftime|format_datetime")


def test_templates_format_dates_only_through_the_portal_filters():
    strays = [f"{path.relative_to(TEMPLATES)}:{n}"
              for path in TEMPLATES.rglob("*.*")
              for n, line in enumerate(path.read_text().splitlines(), 1)
              if OTHER_FORMATTERS.search(line)]
    assert not strays, f"use |long_date, |date_time or |time_of_day (portal/i18n.py): {strays}"


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "March 14, 2025, 12:05\u202fPM"), ("ka", "14 მარტი, 2025, 12:05")])
def test_moments_are_written_one_way_without_seconds(app, lang, expected):
    with app.test_request_context("/poti/", headers={"Cookie": f"lang={lang}"}):
        app.preprocess_request()
        moment = datetime(2025, 3, 14, 8, 5, 7, tzinfo=UTC)  # 12:05:07 in Tbilisi
        assert date_time(moment) == expected
        assert ":07" not in time_of_day(moment)


@pytest.mark.parametrize(("lang", "size", "expected"), [
    ("en", 191, "191 bytes"), ("en", 1, "1 byte"), ("en", 1_234_567, "1.2 MB"),
    ("ka", 191, "191 ბაიტი"), ("ka", 1_234_567, "1,2 მბ"), ("ka", 15_300, "15,3 კბ")])
def test_file_sizes_are_in_the_page_language(app, lang, size, expected):
    with app.test_request_context("/poti/", headers={"Cookie": f"lang={lang}"}):
        app.preprocess_request()
        assert file_size(size) == expected



def test_text_falling_back_to_georgian_is_marked_on_english_pages(app):
    source = '<p>{{ t|l10n }}</p><img alt="{{ t|l10n_plain }}"><p>{{ e|l10n }}</p>'
    values = {"t": {"ka": "ფოთი", "en": ""}, "e": {"ka": "ფოთი", "en": "Poti"}}
    with app.test_request_context("/poti/", headers={"Cookie": "lang=en"}):
        app.preprocess_request()
        html = app.jinja_env.from_string(source).render(**values)
    assert html == '<p><span lang="ka">ფოთი</span></p><img alt="ფოთი"><p>Poti</p>'
    with app.test_request_context("/poti/", headers={"Cookie": "lang=ka"}):
        app.preprocess_request()
        assert "<span" not in app.jinja_env.from_string(source).render(**values)
