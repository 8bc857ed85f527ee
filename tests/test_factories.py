"""The registry of tests/factories.py: every URL argument of every route has a factory, every
staff POST route a valid submission, and nothing registered is stale."""

from __future__ import annotations

import importlib

import pytest
from flask import Flask

from tests.factories import (
    FEATURE_MODULES,
    MissingFactory,
    Objects,
    blueprint_of,
    factories,
    missing_factories,
    object_arguments,
    submissions,
    walked_rules,
)


def test_every_url_argument_has_a_factory(app):
    missing = missing_factories(app)
    assert not missing, "URL arguments without a factory:\n" + "\n".join(missing)


def test_a_route_without_a_factory_is_named_with_where_to_add_it():
    probe = Flask("probe")
    probe.add_url_rule("/<tenant_slug>/things/<int:thing_id>", "things.show", lambda **kw: "")
    [line] = missing_factories(probe)
    assert '@factory("things", "thing_id")' in line and "/<tenant_slug>/things/<int:thing_id>" in line
    assert "tests/<feature>/factories.py" in line and "FEATURE_MODULES" in line
    with pytest.raises(MissingFactory, match='"things", "thing_id"'):
        Objects(probe, None).value("things", "thing_id")


def test_every_factory_and_submission_names_a_route(app):
    """A factory left behind by a renamed argument or a removed route is an error too."""
    used = {(blueprint_of(r), arg) for r in walked_rules(app) for arg in object_arguments(r)}
    assert sorted(set(factories()) - used) == []
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    assert sorted(set(submissions()) - endpoints) == []


def test_each_feature_module_registers_something():
    made = {f.module for f in factories().values()}
    made |= {s.__module__ for s in submissions().values()}
    for name in FEATURE_MODULES:
        importlib.import_module(name)
        assert name in made, f"{name} is listed in FEATURE_MODULES but registers nothing"


def test_a_value_is_made_once_per_municipality(app, poti, abasha):
    here, there = Objects(app, poti), Objects(app, abasha)
    assert here.value("admin", "user_id") == here.value("admin", "user_id")
    assert here.value("admin", "user_id") != there.value("admin", "user_id")
