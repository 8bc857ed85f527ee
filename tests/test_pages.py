"""The public pages of the foundation: the list of municipalities and each home page."""

import re

import pytest

from portal.extensions import db
from portal.tenancy import all_tenants
from portal.tenancy.models import Tenant
from tests.helpers import count_queries


def test_poti_home_shows_the_facts_of_the_brief(client):
    page = client.get("/poti/").text
    for text in ("ფოთის მუნიციპალიტეტი", "ცენტრი", "კუნძული", "ნაბადა", "მალთაყვა",
                 "პალიასტომის ტბა", "კოლხეთის ეროვნული პარკის", "ბათუმის პორტი", "340",
                 "ფოთის მუნიციპალიტეტის მერია", "ფოთის მუნიციპალიტეტის საკრებულო"):
        assert text in page, text
    assert 'href="https://poti.gov.ge/"' in page


def test_abasha_home_without_facts_shows_no_empty_sections(client):
    page = client.get("/abasha/").text
    assert "აბაშის მუნიციპალიტეტი" in page
    assert "ფართობი" not in page  # no facts known: no facts block
    assert "საკონტაქტო ინფორმაცია მალე გამოქვეყნდება" in page


def test_navigation_has_no_dead_links(client):
    for slug in ("poti", "abasha"):
        page = client.get(f"/{slug}/").text
        nav = re.search(r'<nav class="main-nav".*?</nav>', page, re.S).group(0)
        for href in re.findall(r'href="([^"]+)"', nav):
            assert client.get(href).status_code == 200, href


def test_tour_is_embedded_only_where_a_tour_exists(client):
    assert 'href="/poti/tour/"' in client.get("/poti/").text
    page = client.get("/poti/tour/").text
    assert 'src="https://tours.nala.ge/Poti-3d-Guide"' in page and "<iframe" in page
    assert "title=" in page
    # Abasha has no tour address: the page is there for its sights, with no frame (and none
    # yet here: it says so).
    abasha = client.get("/abasha/tour/")
    assert abasha.status_code == 200 and "<iframe" not in abasha.text
    assert 'class="empty"' in abasha.text


def test_theme_colours_come_from_the_tenant(client):
    css = client.get("/abasha/theme.css")
    assert css.mimetype == "text/css" and "--brand:#1d5e36" in css.text
    again = client.get("/abasha/theme.css", headers={"If-None-Match": css.headers["ETag"]})
    assert again.status_code == 304


def _add_tenants(n: int, start: int) -> None:
    with all_tenants():
        for i in range(start, start + n):
            profile = {
                "slug": f"town{i}", "name": {"ka": f"ქალაქი {i}", "en": f"Town {i}"},
                "short_name": {"ka": f"ქ{i}", "en": f"T{i}"},
                "tagline": {"ka": "მოკლე აღწერა", "en": "Short"},
            }
            db.session.add(Tenant(slug=f"town{i}", name_ka=f"ქალაქი {i}", name_en=f"Town {i}",
                                  domains=[], profile=profile))
        db.session.commit()


@pytest.mark.parametrize("path", ["/"])
def test_list_page_runs_constant_queries(app, client, ctx, path):
    directory = app.extensions["tenant_directory"]
    counts = []
    for total, added, start in ((10, 10, 0), (100, 90, 10)):
        _add_tenants(added, start)
        directory.invalidate()
        with count_queries(db.engine) as statements:
            response = client.get(path)
        assert response.status_code == 200
        assert response.text.count('class="card"') >= total
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
