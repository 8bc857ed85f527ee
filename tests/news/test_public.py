"""The public side of news: only published items whose time has come, pinned first, filters,
pages, Open Graph tags, images with srcset; another municipality's items are 404."""

from __future__ import annotations

import re
from datetime import timedelta

from portal.db import utcnow
from tests.news.factories import make_category, make_item, with_image


def test_list_shows_published_items_pinned_first(app, client, poti):
    make_item(app, poti, title="ძველი ამბავი", publish_at=utcnow() - timedelta(days=3), is_pinned=True)
    make_item(app, poti, title="ახალი ამბავი")
    make_item(app, poti, title="მონახაზი", status="draft")
    html = client.get("/poti/news/").text
    assert html.index("ძველი ამბავი") < html.index("ახალი ამბავი")
    assert "მონახაზი" not in html


def test_scheduled_item_is_hidden_until_due(app, client, poti):
    item_id = make_item(app, poti, title="მომავალი ამბავი", publish_at=utcnow() + timedelta(hours=2))
    assert "მომავალი ამბავი" not in client.get("/poti/news/").text
    assert client.get(f"/poti/news/{item_id}").status_code == 404
    assert "მომავალი ამბავი" not in client.get("/poti/news/feed.atom").text
    assert "მომავალი ამბავი" not in client.get("/poti/").text
    due_id = make_item(app, poti, title="დროზე გამოსული", publish_at=utcnow() - timedelta(seconds=1))
    assert client.get(f"/poti/news/{due_id}").status_code == 200


def test_filters_by_body_and_category(app, client, poti):
    roads = make_category(app, poti)
    make_item(app, poti, title="გზის შეკეთება", category_id=roads)
    make_item(app, poti, title="საკრებულოს სხდომა", body_kind="sakrebulo")
    by_body = client.get("/poti/news/?body=sakrebulo").text
    assert "საკრებულოს სხდომა" in by_body and "გზის შეკეთება" not in by_body
    by_category = client.get("/poti/news/?category=roads").text
    assert "გზის შეკეთება" in by_category and "საკრებულოს სხდომა" not in by_category
    # unknown filters are ignored, not errors
    assert client.get("/poti/news/?body=x&category=nothing&page=abc").status_code == 200


def test_list_pages(app, client, poti):
    for n in range(14):
        make_item(app, poti, title=f"ამბავი ნომერი {n:02d}", publish_at=utcnow() - timedelta(hours=n + 1))
    first = client.get("/poti/news/").text
    second = client.get("/poti/news/?page=2").text
    assert "ამბავი ნომერი 00" in first and "ამბავი ნომერი 13" not in first
    assert "ამბავი ნომერი 13" in second and 'aria-current="page"' in second


def test_article_has_open_graph_tags_and_srcset(app, client, poti):
    item_id = make_item(app, poti, title="ნავსადგურის ქუჩები", summary="მოკლედ", title_en="Port streets")
    with_image(app, poti, item_id)
    html = client.get(f"/poti/news/{item_id}").text
    assert '<meta property="og:title" content="ნავსადგურის ქუჩები">' in html
    assert '<meta property="og:description" content="მოკლედ">' in html
    assert f'<meta property="og:url" content="http://poti.gov.ge/news/{item_id}">' in html
    assert '<meta property="og:image" content="http://poti.gov.ge/news/' in html
    assert re.search(r'<meta property="article:published_time" content="[^"]+\+00:00">', html)
    assert 'srcset="/poti/news/' in html and " 400w" in html and " 800w" in html
    assert 'alt="ქუჩა"' in html
    client.set_cookie("lang", "en")
    english = client.get(f"/poti/news/{item_id}").text
    assert "Port streets" in english and '<div class="news-body" lang="ka">' in english


def test_list_has_open_graph_tags_and_names_its_filtered_feeds(app, client, poti):
    roads = make_category(app, poti)
    item_id = make_item(app, poti, title="გზის შეკეთება", category_id=roads)
    with_image(app, poti, item_id)
    html = client.get("/poti/news/").text
    assert '<meta property="og:type" content="website">' in html
    assert '<meta property="og:description" content="სიახლეები: ფოთი">' in html
    assert '<meta property="og:url" content="http://poti.gov.ge/news/">' in html
    assert f'<meta property="og:image" content="http://poti.gov.ge/news/{item_id}/image?w=' in html
    assert '<meta property="og:image:alt" content="ქუჩა">' in html
    assert "feed.atom?body=" not in html  # the whole feed is named once, by the page shell
    by_category = client.get("/poti/news/?category=roads").text
    assert '<meta property="og:url" content="http://poti.gov.ge/news/?category=roads">' in by_category
    assert re.search(r'<link rel="alternate" type="application/atom\+xml" '
                     r'href="/poti/news/feed\.atom\?category=roads"', by_category)
    assert 'href="/poti/news/feed.rss?category=roads"' in by_category
    assert "og:image" not in client.get("/poti/news/?body=sakrebulo").text  # no picture there


def test_image_is_served_in_each_width(app, client, poti):
    item_id = make_item(app, poti)
    with_image(app, poti, item_id)
    small = client.get(f"/poti/news/{item_id}/image?w=400")
    assert small.status_code == 200 and small.mimetype == "image/webp"
    assert "immutable" in small.headers["Cache-Control"]
    assert client.get(f"/poti/news/{item_id}/image?w=nonsense").status_code == 200


def test_another_municipalitys_items_are_404(app, client, poti, abasha):
    theirs = make_item(app, abasha, title="აბაშის ამბავი")
    with_image(app, abasha, theirs)
    assert client.get(f"/poti/news/{theirs}").status_code == 404
    assert client.get(f"/poti/news/{theirs}/image").status_code == 404
    assert "აბაშის ამბავი" not in client.get("/poti/news/").text
    assert client.get(f"/abasha/news/{theirs}").status_code == 200


def test_home_page_shows_latest_news(app, client, poti):
    make_item(app, poti, title="მთავარი გვერდის ამბავი")
    html = client.get("/poti/").text
    assert "მთავარი გვერდის ამბავი" in html and 'href="/poti/news/"' in html


def test_sitemap_lists_published_articles(app, client, poti):
    shown = make_item(app, poti)
    hidden = make_item(app, poti, status="draft")
    xml = client.get("/poti/sitemap.xml").text
    assert f"/news/{shown}</loc>" in xml and f"/news/{hidden}</loc>" not in xml


def test_filtering_with_htmx_returns_the_results_fragment(app, client, poti):
    from tests.helpers import HTMX

    make_item(app, poti, title="საკრებულოს სხდომა", body_kind="sakrebulo")
    response = client.get("/poti/news/?body=sakrebulo", headers=HTMX)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert response.text.lstrip().startswith('<section id="results"') and "<html" not in response.text
    assert "საკრებულოს სხდომა" in response.text


def test_list_and_feed_query_counts_are_constant(app, client, poti):
    from portal.extensions import db
    from tests.helpers import count_queries

    def queries(url) -> int:
        with app.app_context(), count_queries(db.engine) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    roads = make_category(app, poti)
    make_item(app, poti, category_id=roads)
    few = {url: queries(url) for url in ("/poti/news/", "/poti/news/feed.atom")}
    other = make_category(app, poti, slug="parks", name_ka="პარკები", name_en="Parks")
    for n in range(6):
        make_item(app, poti, title=f"ამბავი {n}", category_id=(roads, other)[n % 2])
    assert {url: queries(url) for url in few} == few
