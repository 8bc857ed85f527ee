"""One way to page a list: ``portal/web/pagination.py`` (one COUNT + one page query, or one
query with look-ahead, or a keyset page) and ``_macros/pagination.html`` (``pager``,
``load_more``), scoped to the municipality like every query, and no pager written by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import MetaData, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portal.db import NAMING_CONVENTION, TenantOwned
from portal.extensions import db
from portal.tenancy import tenant_context
from portal.tenancy.models import Tenant
from portal.web.pagination import MAX_PAGE, Page, page_arg, paginate, paginate_keyset
from tests.helpers import count_queries, get_in_own_context

ROOT = Path(__file__).resolve().parent.parent / "portal"


class ScratchBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


Tenant.__table__.to_metadata(ScratchBase.metadata)


class Item(TenantOwned, ScratchBase):
    """A tenant-owned model that exists only in these tests."""

    __tablename__ = "scratch_page_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))


@pytest.fixture
def items(ctx, poti, abasha):
    Item.__table__.create(db.session.connection())
    with tenant_context(poti):
        db.session.add_all([Item(name=f"poti-{n:02}") for n in range(25)])
        db.session.flush()
    with tenant_context(abasha):
        db.session.add_all([Item(name=f"abasha-{n}") for n in range(3)])
        db.session.flush()


def _by_name():
    return select(Item).order_by(Item.name)


def test_counted_pages_take_one_count_and_one_page_query(items, poti):
    with tenant_context(poti), count_queries(db.engine) as statements:
        second = paginate(_by_name(), 2, 10)
    assert len(statements) == 2
    assert [i.name for i in second] == [f"poti-{n:02}" for n in range(10, 20)]
    assert (second.number, second.total, second.pages) == (2, 25, 3)
    assert second.has_prev and second.has_next
    with tenant_context(poti):
        last = paginate(_by_name(), 3, 10)
        beyond = paginate(_by_name(), 9, 10)
    assert len(last) == 5 and not last.has_next and last.prev_number == 2
    assert not beyond.items and not beyond.has_next and beyond.pages == 3


def test_uncounted_pages_take_one_query_and_look_ahead(items, poti):
    with tenant_context(poti), count_queries(db.engine) as statements:
        first = paginate(_by_name(), 1, 10, count=False)
    assert len(statements) == 1
    assert len(first) == 10 and first.has_next and not first.has_prev
    assert first.total is None and first.pages is None
    with tenant_context(poti):
        assert not paginate(_by_name(), 3, 10, count=False).has_next
        exact = paginate(_by_name(), 1, 25, count=False)
    assert len(exact) == 25 and not exact.has_next


def test_the_count_is_the_municipalitys_own(items, poti, abasha):
    with tenant_context(abasha):
        page = paginate(_by_name(), 1, 10)
    assert page.total == 3 and [i.name for i in page] == ["abasha-0", "abasha-1", "abasha-2"]
    with tenant_context(poti):
        cheap = paginate(_by_name(), 1, 10, count_statement=select(func.count(Item.id)))
    assert cheap.total == 25


def test_several_columns_give_rows(items, poti):
    with tenant_context(poti):
        page = paginate(select(Item.id, Item.name).order_by(Item.name), 1, 2, count=False)
    assert [row.name for row in page] == ["poti-00", "poti-01"]


def test_keyset_pages_newest_first_below_the_cursor(items, poti):
    with tenant_context(poti), count_queries(db.engine) as statements:
        first = paginate_keyset(select(Item), Item.id, None, 10)
    assert len(statements) == 1
    ids = [i.id for i in first]
    assert ids == sorted(ids, reverse=True) and first.next_cursor == ids[-1] and first.has_next
    with tenant_context(poti):
        second = paginate_keyset(select(Item), Item.id, first.next_cursor, 10)
        third = paginate_keyset(select(Item), Item.id, second.next_cursor, 10)
    assert max(i.id for i in second) < min(ids)
    assert len(third) == 5 and not third.has_next and third.next_cursor is None


@pytest.mark.parametrize(("query", "number"), [("", 1), ("?page=3", 3), ("?page=x", 1),
                                              ("?page=0", 1), ("?page=-2", 1),
                                              ("?page=%C2%B2", 1), ("?page=99999999", MAX_PAGE)])
def test_page_arg_never_fails(app, query, number):
    with app.test_request_context("/" + query):
        assert page_arg() == number
    with app.test_request_context("/?page=50"):
        assert page_arg(maximum=10) == 10


def _render(app, source: str, **context) -> str:
    with app.test_request_context("/poti/sessions/"):
        app.preprocess_request()  # resolves the municipality, as a request does
        return app.jinja_env.from_string(
            '{% from "_macros/pagination.html" import pager, load_more %}' + source
        ).render(**context)


def test_pager_is_an_accessible_nav_of_plain_links(app):
    page = Page(["a"], number=2, per_page=1, has_next=True, total=3)
    html = _render(app, "{{ pager(p, 'sessions.index', {'q': 'x y'}) }}", p=page)
    assert re.search(r'<nav class="pager" aria-label="[^"]+">', html)
    assert '<span aria-current="page">' in html
    assert re.search(r'<a href="/poti/sessions/\?q=x\+y&amp;page=1" rel="prev">', html)
    assert re.search(r'<a href="/poti/sessions/\?q=x\+y&amp;page=3" rel="next">', html)
    assert "hx-get" not in html


def test_pager_with_a_target_is_enhanced_by_htmx(app):
    page = Page(["a"], number=1, per_page=1, has_next=True)
    html = _render(app, "{{ pager(p, 'sessions.index', target='#past-list', next_label='Older') }}",
                   p=page)
    assert 'href="/poti/sessions/?page=2" hx-get="/poti/sessions/?page=2"' in html
    assert 'hx-target="#past-list"' in html and 'hx-push-url="true"' in html
    assert ">Older</a>" in html and 'rel="prev"' not in html


def test_single_pages_have_no_pager(app):
    assert _render(app, "{{ pager(p, 'sessions.index') }}", p=Page(["a"], total=1)).strip() == ""


def test_keyset_pager_links_only_to_older_rows(app):
    page = Page(["a"], has_next=True, next_cursor=41)
    html = _render(app, "{{ pager(p, 'sessions.index', {'status': 'sent'}, param='before') }}",
                   p=page)
    assert 'href="/poti/sessions/?status=sent&amp;before=41" rel="next"' in html
    assert "aria-current" not in html and 'rel="prev"' not in html


def test_load_more_is_a_link_htmx_swaps_for_the_next_items(app):
    html = _render(app, "{{ load_more(p, 'sessions.index', q='x', label='More') }}",
                   p=Page([], next_cursor=7))
    assert html.strip() == (
        '<li class="load-more"><a href="/poti/sessions/?q=x&amp;before=7" '
        'hx-get="/poti/sessions/?q=x&amp;before=7" hx-target="closest li" hx-swap="outerHTML" '
        'hx-trigger="click, revealed" hx-push-url="false">More</a></li>')
    assert _render(app, "{{ load_more(p, 'sessions.index') }}", p=Page([])).strip() == ""


def test_no_pager_or_offset_is_written_by_hand():
    macro = ROOT / "templates" / "_macros" / "pagination.html"
    handmade = [str(path) for path in (ROOT / "templates").rglob("*.html") if path != macro
                and re.search(r'class="pager"|class="load-more"|page\s*[+-]\s*1', path.read_text())]
    assert not handmade, handmade
    offsets = [str(path) for path in ROOT.rglob("*.py") if path.name != "pagination.py"
               and ".offset(" in path.read_text()]
    assert not offsets, offsets


def test_a_public_list_pages_with_the_macro(ctx, app, poti):
    from datetime import UTC, datetime, timedelta

    from portal.blueprints.sessions.models import Body, CouncilSession

    with tenant_context(poti):
        body = Body(slug="council", name_ka="საკრებულო", name_en="Council", kind="council")
        db.session.add(body)
        db.session.flush()
        start = datetime(2020, 1, 1, 10, tzinfo=UTC)
        db.session.add_all([CouncilSession(body_id=body.id, title=f"S{n}", kind="regular",
                                           status="held", starts_at=start + timedelta(days=n))
                            for n in range(25)])
        db.session.flush()
    first = get_in_own_context(app, "/poti/sessions/").text
    second = get_in_own_context(app, "/poti/sessions/?page=2", headers={"HX-Request": "true"}).text
    assert 'href="/poti/sessions/?page=2" hx-get="/poti/sessions/?page=2"' in first
    assert 'rel="prev"' in second and 'aria-current="page"' in second
    assert "<html" not in second
