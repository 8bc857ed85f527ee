"""Atom and RSS feeds per municipality, body and category: well-formed XML, links from the
configured domain whatever the Host header says, only what is public."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tests.news.factories import make_category, make_item

ATOM = "{http://www.w3.org/2005/Atom}"


def _atom(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data)


def test_municipality_feed_links_to_the_configured_domain(app, client, poti):
    item_id = make_item(app, poti, title="ფოთის ამბავი")
    make_item(app, poti, title="მონახაზი", status="draft")
    feed = _atom(client, "/poti/news/feed.atom", headers={"Host": "evil.example.com"})
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["ფოთის ამბავი"]
    assert entries[0].find(f"{ATOM}link").get("href") == f"http://poti.gov.ge/news/{item_id}"
    assert entries[0].find(f"{ATOM}content").text == "<p>ტექსტი</p>"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://poti.gov.ge/news/feed.atom"
    assert "evil" not in client.get("/poti/news/feed.atom", headers={"Host": "evil.example.com"}).text


def test_body_and_category_feeds(app, client, poti):
    roads = make_category(app, poti)
    make_item(app, poti, title="გზა", category_id=roads)
    make_item(app, poti, title="სხდომა", body_kind="sakrebulo")
    by_body = _atom(client, "/poti/news/feed.atom?body=sakrebulo")
    assert [e.find(f"{ATOM}title").text for e in by_body.findall(f"{ATOM}entry")] == ["სხდომა"]
    assert by_body.find(f"{ATOM}link[@rel='self']").get("href").endswith("/news/feed.atom?body=sakrebulo")
    by_category = _atom(client, "/poti/news/feed.atom?category=roads")
    assert [e.find(f"{ATOM}title").text for e in by_category.findall(f"{ATOM}entry")] == ["გზა"]
    assert client.get("/poti/news/feed.atom?category=none-such").status_code == 404
    assert client.get("/poti/news/feed.atom?body=mayor").status_code == 404


def test_rss_feed(app, client, poti):
    item_id = make_item(app, poti, title="RSS ამბავი")
    response = client.get("/poti/news/feed.rss")
    assert response.mimetype == "application/rss+xml"
    channel = ET.fromstring(response.data).find("channel")
    assert channel.find("link").text == "http://poti.gov.ge/news/"
    assert channel.find("item/link").text == f"http://poti.gov.ge/news/{item_id}"


def test_feeds_never_show_another_municipality(app, client, poti, abasha):
    make_item(app, abasha, title="აბაშის ამბავი")
    assert "აბაშის ამბავი" not in client.get("/poti/news/feed.atom").text
    assert "აბაშის ამბავი" not in client.get("/poti/news/feed.rss").text
