"""Public pages, the search page (full page and htmx fragment), feeds, API, query counts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from openapi_spec_validator import validate

from portal.blueprints.sessions.council import services
from portal.blueprints.sessions.models import Body, Recording
from portal.extensions import db
from portal.tenancy import tenant_context
from portal.web.pagecache import get_page_cache
from tests.helpers import HTMX, count_queries


def test_index_lists_upcoming_and_past(client, archives, poti):
    with tenant_context(poti):
        services.create_session(archives["poti"].body, "მომავალი სხდომა",
                                datetime.now(UTC) + timedelta(days=3))
    html = client.get("/poti/sessions/").text
    assert "მომავალი სხდომა" in html and "საკრებულოს სხდომა მალთაყვა" in html
    assert "მარანი" not in html  # Abasha's session


def test_session_page_has_agenda_player_and_transcript(client, archives):
    a = archives["poti"]
    response = client.get(f"/poti/sessions/{a.session.id}?t=190")
    html = response.text
    assert response.status_code == 200
    assert "ბიუჯეტის ცვლილებები" in html and "ნინო ბერიძე" in html
    assert "https://www.youtube-nocookie.com/embed/vidმალთაყვა" not in html  # id is quoted
    assert "youtube-nocookie.com/embed/" in html and "start=190" in html
    assert "წყალარინების სამუშაოები" in html


def test_foreign_ids_are_404(client, archives):
    b = archives["abasha"]
    assert client.get(f"/poti/sessions/{b.session.id}").status_code == 404
    assert client.get(f"/poti/sessions/recordings/{b.lone.id}").status_code == 404
    assert client.get(f"/poti/sessions/api/sessions/{b.session.id}").status_code == 404


def test_search_page_and_fragment(client, archives):
    a = archives["poti"]
    url = "/poti/sessions/search?q=წყალარ"
    page = client.get(url)
    assert page.status_code == 200 and "<html" in page.text
    assert "<mark>წყალარინების</mark>" in page.text
    assert f"/poti/sessions/{a.session.id}?recording={a.recording.id}&amp;t=190#player" in page.text
    assert "დაკვრა 3:10-დან" in page.text  # "Play from 3:10", translated
    fragment = client.get(url, headers=HTMX)
    assert "<html" not in fragment.text and 'id="results"' in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]


def test_search_results_show_their_session_or_recording(client, archives):
    a = archives["poti"]
    html = client.get("/poti/sessions/search?q=ბიუჯ").text
    assert "საკრებულოს სხდომა მალთაყვა" in html and "კომისიის სხდომა" in html
    assert 'datetime="2025-03-14T08:00:00' in html
    assert "ფინანსური კომისია" in html  # the old session's body
    lone = client.get("/poti/sessions/search?q=ტყის").text
    assert f'href="/poti/sessions/recordings/{a.lone.id}"' in lone and "ცალკე ვიდეო" in lone
    assert "ჩანაწერი არ არის დაკავშირებული სხდომასთან" in lone  # not linked to a session


def test_search_form_offers_the_years_that_have_sessions(client, archives, poti, abasha):
    with tenant_context(poti):
        services.create_session(archives["poti"].body, "ძველი სხდომა",
                                datetime(2019, 12, 31, 20, tzinfo=UTC), status="held")
    with tenant_context(abasha):
        services.create_session(archives["abasha"].body, "აბაშის სხდომა",
                                datetime(2018, 5, 5, 8, tzinfo=UTC), status="held")
    html = client.get("/poti/sessions/search").text
    years = re.findall(r'<option value="(\d{4})"', html)
    # Newest first; none for Poti's lone 2023 recording nor for Abasha's 2018 session.
    assert years == ["2025", "2024", "2019"]


def test_search_form_choices_are_kept_but_follow_writes(client, archives, poti):
    """Bodies and years are read once per municipality, and again after any write to them."""
    def options():
        html = client.get("/poti/sessions/search").text
        return re.findall(r'<option value="(\w+)"', html)

    first = options()
    with count_queries(db.engine) as statements:
        assert options() == first
    assert not [s for s in statements if "council_bodies" in s and "JOIN" not in s]
    with tenant_context(poti):
        body = Body(slug="audit", name_ka="აუდიტის კომისია", name_en="Audit")
        db.session.add(body)
        db.session.flush()
        assert str(body.id) in options()  # the flush dropped the kept choices
        db.session.rollback()
    assert str(body.id) not in options()  # and so did the rollback


def test_search_load_more_returns_items_only(client, archives):
    first = client.get("/poti/sessions/search?q=&year=2025&transcript=1")
    assert first.status_code == 200
    html = client.get("/poti/sessions/search?q=ს").text
    assert "load-more" not in html or "before=" in html


def test_bad_input_is_not_an_error(client, archives):
    assert client.get("/poti/sessions/search?year=abc&body=x&before=-1").status_code == 200
    long = client.get("/poti/sessions/search?q=" + "ა" * 500)
    assert long.status_code == 200 and 'role="alert"' in long.text


def test_global_search_spans_municipalities(client, archives):
    html = client.get("/search?q=წყალარინ").text
    assert "/poti/sessions/" in html and "/abasha/sessions/" in html
    only = client.get("/search?q=წყალარინ&municipality=abasha").text
    assert "/poti/sessions/" not in only.split('id="results"')[1]


def test_unmatched_recording_page_plays_from_second(client, archives):
    a = archives["poti"]
    html = client.get(f"/poti/sessions/recordings/{a.lone.id}?t=5").text
    assert "facebook.com/plugins/video.php" in html and "t=5" in html


def test_live_banner_on_home_and_session(client, archives, poti):
    a = archives["poti"]
    with tenant_context(poti):
        a.recording.live_status = "live"
        db.session.flush()
    assert "live-banner" in client.get("/poti/").text
    assert "live-banner" in client.get(f"/poti/sessions/{a.session.id}").text
    assert "live-banner" not in client.get("/abasha/").text


def test_members_and_bodies(client, archives):
    html = client.get("/poti/sessions/members/nino").text
    assert "ბიუჯეტის ცვლილებები" in html  # reported agenda item
    assert "საკრებულოს სხდომა მალთაყვა" in html  # attendance / spoke
    assert client.get("/poti/sessions/bodies/sakrebulo").status_code == 200
    assert client.get("/poti/sessions/members/nobody").status_code == 404


def test_icalendar_feeds(client, archives, poti):
    with tenant_context(poti):
        services.create_session(archives["poti"].body, "კალენდრის სხდომა",
                                datetime.now(UTC) + timedelta(days=2), place="დარბაზი")
    feed = client.get("/poti/sessions/calendar.ics")
    assert feed.mimetype == "text/calendar"
    from icalendar import Calendar

    events = Calendar.from_ical(feed.data).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["კალენდრის სხდომა"]
    assert client.get("/poti/sessions/bodies/finance/calendar.ics").status_code == 200
    assert b"VEVENT" not in client.get("/poti/sessions/bodies/finance/calendar.ics").data


def test_icalendar_times_read_back_in_tbilisi(client, archives, poti):
    """A session at 10:00 in Poti (06:00 UTC) is at 10:00 Asia/Tbilisi in the feed: a TZID
    with its VTIMEZONE, never a floating time that a calendar would read as its own zone."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar

    tbilisi = ZoneInfo("Asia/Tbilisi")
    local_start = (datetime.now(tbilisi) + timedelta(days=5)).replace(
        hour=10, minute=0, second=0, microsecond=0)
    with tenant_context(poti):
        services.create_session(archives["poti"].body, "დილის სხდომა",
                                local_start.astimezone(UTC))
    for url in ("/poti/sessions/calendar.ics", "/poti/sessions/bodies/sakrebulo/calendar.ics"):
        cal = Calendar.from_ical(client.get(url).data)
        [event] = cal.walk("VEVENT")
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert start.tzinfo is not None and end.tzinfo is not None  # not floating
        assert event["dtstart"].params["TZID"] == "Asia/Tbilisi"
        assert start.astimezone(tbilisi) == local_start
        assert start.astimezone(tbilisi).strftime("%H:%M") == "10:00"
        assert end - start == timedelta(hours=2)
        assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Tbilisi"]
        assert event.decoded("dtstamp").utcoffset() == timedelta(0)


def test_api_and_openapi(client, archives):
    spec = client.get("/poti/sessions/api/openapi.json").get_json()
    validate(spec)
    found = client.get("/poti/sessions/api/search?q=წყალარ").get_json()
    assert found["groups"][0]["hits"][0]["start_s"] == 190
    assert client.get("/poti/sessions/api/sessions").get_json()["past"]
    recs = client.get("/poti/sessions/api/recordings").get_json()["recordings"]
    assert {r["source"] for r in recs} == {"youtube", "facebook"}


@pytest.mark.parametrize("path", ["/poti/sessions/", "/poti/sessions/search?q=სხდომა"])
def test_query_count_does_not_grow_with_items(client, archives, poti, app, path):
    def count(n):
        with tenant_context(poti):
            for i in range(n):
                s = services.create_session(archives["poti"].body, f"სხდომა {i}",
                                            datetime(2022, 1, 1, tzinfo=UTC) - timedelta(days=i),
                                            status="held")
                db.session.add(Recording(source="youtube", external_id=f"q{n}-{i}",
                                         session_id=s.id, title=f"ჩანაწერი {i}"))
            db.session.flush()
        with count_queries(db.engine) as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    assert count(10) == count(100)


def test_archive_pages_from_the_cached_layout_are_the_pages_rendered_whole(
        client, archives, app, monkeypatch):
    """portal/web/shell.py on pages with content: results, a session, a member."""
    a = archives["poti"]
    urls = ["/poti/sessions/search?q=წყალარინ", f"/poti/sessions/{a.session.id}",
            f"/poti/sessions/members/{a.member.slug}", "/search?q=ბიუჯ"]

    def masked(text):
        return re.sub(r'(csrf_token" value="|"X-CSRFToken": ")[^"]+', r"\1…", text)

    for url in urls:
        monkeypatch.setitem(app.config, "PORTAL_PAGE_CACHE_SECONDS", 0)
        whole = client.get(url)
        monkeypatch.setitem(app.config, "PORTAL_PAGE_CACHE_SECONDS", 10)
        for _ in range(2):
            page = client.get(url)
            assert page.status_code == whole.status_code == 200, url
            assert masked(page.text) == masked(whole.text), url
        assert "<mark>" in whole.text or "search" not in url
    layouts = get_page_cache(app)
    assert {key[1] for key in layouts._pages} == {
        "sessions.search_page", "sessions.show", "sessions.member", "archive.global_search"}
    layouts.clear()
