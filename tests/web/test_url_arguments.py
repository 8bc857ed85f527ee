"""URL rule arguments say which noun they are, and one name means one thing across the portal.

Every argument of every rule in ``app.url_map`` is ``<noun>_<kind>`` (``session_id``,
``member_slug``, ``reset_token``, ``asset_path``, ``report_year``…): never a bare generic (``id``, ``slug``,
``token``, ``filename``) nor a generic noun (``item_id``, ``run_id``), and a name is used with
one converter only (so ``document_id`` is an ``int`` everywhere). Flask's own ``static`` rule
(``<path:filename>``, named by Flask) is the one exception.
"""

from __future__ import annotations

import pytest
from werkzeug.routing import Map, Rule

# What an argument may be: the noun's id, slug, token, path, file name, or year (a yearly
# thing's: ``report_year``).
KINDS = ("id", "slug", "token", "path", "filename", "year")
# Nouns that name no particular thing.
GENERIC_NOUNS = {"item", "run", "object", "obj", "entry", "record", "row", "thing", "file", "key",
                 "value", "name", "uid", "pk", "ref"}
FLASK_OWN = {"static"}


def argument_problems(url_map: Map) -> list[str]:
    """Each argument name that is generic, or used with more than one converter."""
    problems = []
    converters: dict[str, dict[str, str]] = {}
    for rule in url_map.iter_rules():
        if rule.endpoint in FLASK_OWN:
            continue
        for name, converter in rule._converters.items():
            noun, _, kind = name.rpartition("_")
            if kind not in KINDS or not noun or noun in GENERIC_NOUNS:
                problems.append(f"{rule.rule} ({rule.endpoint}): <{name}> does not say which noun "
                                f"it is; name it <noun>_{'|'.join(KINDS)}")
            converters.setdefault(name, {}).setdefault(type(converter).__name__, rule.rule)
    for name, seen in sorted(converters.items()):
        if len(seen) > 1:
            problems.append(f"<{name}> is used with different converters: {seen}")
    return problems


def test_every_url_argument_names_its_noun_and_means_one_thing(app):
    assert argument_problems(app.url_map) == []


@pytest.mark.parametrize(("rules", "found"), [
    (["/a/<int:id>"], "<id>"),
    (["/a/<slug>"], "<slug>"),
    (["/a/<token>"], "<token>"),
    (["/a/<path:filename>"], "<filename>"),
    (["/a/<int:item_id>"], "<item_id>"),
    (["/a/<int:run_id>"], "<run_id>"),
    (["/<tenant>/a"], "<tenant>"),
    (["/a/<int:year>"], "<year>"),
    (["/a/<int:member_id>", "/b/<member_id>"], "<member_id> is used with different converters"),
])
def test_the_check_finds_generic_and_ambiguous_names(rules, found):
    url_map = Map([Rule(r, endpoint=f"e{i}") for i, r in enumerate(rules)])
    assert any(found in problem for problem in argument_problems(url_map))


def test_the_check_accepts_named_arguments_and_flask_static():
    url_map = Map([Rule("/<tenant_slug>/members/<member_slug>", endpoint="m"),
                   Rule("/documents/<int:document_id>/<path:document_filename>", endpoint="d"),
                   Rule("/static/<path:filename>", endpoint="static")])
    assert argument_problems(url_map) == []
