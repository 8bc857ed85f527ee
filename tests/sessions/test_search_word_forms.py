"""The archive search finds other forms of Georgian words (exact forms first) and reads Latin
typing as Georgian, on SQLite and PostgreSQL."""

from __future__ import annotations

from portal.blueprints.sessions.search import FORMS_BASE, FORMS_START, SearchQuery, search
from portal.blueprints.sessions.search.forms import ALL, FORMS, expand
from portal.blueprints.sessions.search.postgres import tsquery
from portal.blueprints.sessions.search.sqlite import match_expression
from portal.extensions import db
from portal.tenancy import all_tenants


def run(tenant_ids, q="", **options):
    with all_tenants():
        return search(db.session.connection(), SearchQuery(text=q, tenant_ids=tenant_ids,
                                                            **options))


def marked(page):
    return {piece for g in page.groups for h in g.hits for piece, mark in h.pieces if mark}


def test_another_case_finds_the_word(archives, poti):
    """The fixture says ``მალთაყვა`` (session title, transcript) and ``უბანში``."""
    a = archives["poti"]
    for query in ("მალთაყვის", "მალთაყვაში", "მალთაყვასთან", "მალთაყვამ"):
        page = run((poti.id,), query)
        assert [g.session_id for g in page.groups] == [a.session.id], query
        assert all(g.forms for g in page.groups)
        assert "მალთაყვა" in marked(page)
    page = run((poti.id,), "უბანი")  # syncope: the text has უბანში
    assert [g.session_id for g in page.groups] == [a.session.id]
    assert "უბანში" in marked(page)


def test_without_word_forms_only_word_beginnings_match(archives, poti):
    # (forgive=False: PostgreSQL's typo correction would rescue it)
    assert run((poti.id,), "მალთაყვის", word_forms=False, forgive=False).groups == []
    assert run((poti.id,), "მალთაყ", word_forms=False).groups  # a prefix still works


def test_exact_forms_come_first_then_other_forms_each_group_once_a_tier(archives, poti):
    """``სხდომას`` is said in the 2025 session's transcript (exact); ``სხდომა`` and
    ``სხდომის`` are in both sessions' titles (other forms)."""
    a = archives["poti"]
    page = run((poti.id,), "სხდომას")
    shown = [(g.session_id, g.forms) for g in page.groups]
    assert shown[0] == (a.session.id, False)
    assert shown[1:] == [(a.session.id, True), (a.old_session.id, True)]
    assert {h.kind for h in page.groups[0].hits} == {"transcript"}
    exact_ids = {h.id for h in page.groups[0].hits}
    assert not exact_ids & {h.id for g in page.groups[1:] for h in g.hits}


def test_paging_runs_through_both_tiers_once(archives, poti):
    a = archives["poti"]
    seen, before = [], None
    for _ in range(10):
        page = run((poti.id,), "სხდომას", per_page=1, before=before)
        seen += [(g.session_id, g.forms) for g in page.groups]
        if page.next_cursor is None:
            break
        before = page.next_cursor
        assert before < 2**62 + 1
    assert seen == [(a.session.id, False), (a.session.id, True), (a.old_session.id, True)]
    # The exact tier ended with a full page: the next page started the second tier's top.
    page = run((poti.id,), "სხდომას", per_page=1)
    assert page.next_cursor == FORMS_START
    page = run((poti.id,), "სხდომას", per_page=1, before=FORMS_START)
    assert page.next_cursor > FORMS_BASE


def test_forms_stay_in_their_municipality(archives, poti, abasha):
    assert run((abasha.id,), "მალთაყვის").groups == []
    assert len(run((abasha.id,), "მარნის").groups) == 1  # მარანი: syncope in the genitive


def test_two_words_each_in_any_form(archives, poti):
    a = archives["poti"]
    page = run((poti.id,), "სამუშაოს მალთაყვის")
    assert [g.session_id for g in page.groups] == [a.session.id]
    assert run((poti.id,), "სამუშაოს მარნის").groups == []


def test_latin_typing_finds_the_georgian_words(archives, poti):
    a = archives["poti"]
    page = run((poti.id,), "maltakva")
    assert [g.session_id for g in page.groups][:1] == [a.session.id]
    assert page.also == ["მალთაყვა"]
    assert page.offer is None
    page = run((poti.id,), "ubanshi")
    assert a.session.id in [g.session_id for g in page.groups]
    assert run((poti.id,), "maltakva", latin=False).groups == []


def test_an_english_query_that_finds_nothing_is_offered_in_georgian_letters(archives, poti):
    page = run((poti.id,), "budget")
    assert page.groups == [] and page.also == []
    assert page.offer == "ბუდგეთ"
    assert run((poti.id,), "2031").offer is None  # no letters to read


def test_the_statements_name_stems_apart_from_words():
    terms = expand(["მალთაყვის"])
    assert terms[0].keys == ("მალთაყვ",)
    assert match_expression([], terms, ALL) == (
        '(({title body} : ("მალთაყვის"*) OR stems : ("მალთაყვ")))')
    assert match_expression([], terms, FORMS).endswith('NOT ({title body} : ("მალთაყვის"*)))')
    assert tsquery([["t1"]], terms, FORMS) == (
        "('t1':A) & ('მალთაყვის':*BD | 'მალთაყვ':C) & !(('მალთაყვის':*BD))")


def test_search_page_says_what_was_searched(client, archives):
    html = client.get("/poti/sessions/search?q=maltakva").text
    assert "ასევე ვეძებეთ:" in html and '<span lang="ka">მალთაყვა</span>' in html
    html = client.get("/poti/sessions/search?q=მალთაყვის").text
    assert "სიტყვების სხვა ფორმები" in html and "<mark>მალთაყვა</mark>" in html
    html = client.get("/poti/sessions/search?q=budget").text
    assert "არქივი ქართულ ენაზეა" in html
    assert 'href="/poti/sessions/search?q=%E1%83%91' in html  # ბუდგეთ, to search
    more = client.get(f"/poti/sessions/search?q=სხდომას&before={FORMS_START}",
                      headers={"HX-Request": "true"})
    assert more.status_code == 200 and "<html" not in more.text
