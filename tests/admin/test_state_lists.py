"""The editors' lists that share `_macros/admin_lists.html` (documents, projects, news, sights):
the whole page, the filter by state, the table htmx swaps in place, and the empty state."""

from __future__ import annotations

import pytest

from tests.documents.factories import make_document
from tests.news.factories import make_item
from tests.projects.factories import make_project
from tests.tour.factories import make_sight

TITLE = "ზღვისპირა ბილიკი"
LISTS = {
    # path: (factory of a draft with a title no other row has, its heading)
    "documents": (lambda app, t: make_document(app, t, title=TITLE, title_en=TITLE, published=False),
                  "Public documents"),
    "projects": (lambda app, t: make_project(app, t, title=TITLE, title_en=TITLE, published=False),
                 "Infrastructure projects"),
    "news": (lambda app, t: make_item(app, t, title=TITLE, title_en=TITLE, status="draft"), "News items"),
    "tour": (lambda app, t: make_sight(app, t, name=TITLE, name_en=TITLE, published=False), "Sights"),
}


@pytest.mark.parametrize("path", sorted(LISTS))
def test_a_list_filters_by_state_whole_or_in_place(app, poti, editor, path):
    make, heading = LISTS[path]
    title = TITLE
    url = f"/poti/admin/{path}/"
    empty = editor.get(url, query_string={"state": "draft"})
    assert empty.status_code == 200 and 'class="empty"' in empty.text and "<table" not in empty.text
    make(app, poti)

    page = editor.get(url).text
    assert f"<h1>{heading}</h1>" in page and 'id="state"' in page and title in page
    assert 'data-label="' in page and f'href="/poti/admin/{path}/new"' in page

    drafts = editor.get(url, query_string={"state": "draft"}, headers={"HX-Request": "true"})
    assert drafts.text.lstrip().startswith('<section id="results"') and title in drafts.text
    assert "<h1>" not in drafts.text and "<html" not in drafts.text

    published = editor.get(url, query_string={"state": "published"}, headers={"HX-Request": "true"})
    assert title not in published.text and 'class="empty"' in published.text
