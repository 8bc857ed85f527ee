"""Every audit action has a label in both languages; the log page shows labels, not keys or JSON."""

from __future__ import annotations

import ast
from pathlib import Path

import portal
from portal.services import audit
from portal.services.audit_labels import ACTIONS, describe_values
from tests.staff_fixtures import signed_in

PORTAL = Path(portal.__file__).parent


#: web/staff_forms' steps that record an audit entry for their caller: the action is their
#: ``action`` keyword (a literal at every call), plus these endings.
STEPS = {"saved_changes": (".create", ".update"), "publication": ("",)}


def _step_actions(node: ast.Call, path: Path) -> set[str]:
    action = next(k.value for k in node.keywords if k.arg == "action")
    assert isinstance(action, ast.Constant), f"{path}:{node.lineno}: a literal action"
    name = getattr(node.func, "attr", getattr(node.func, "id", ""))
    return {action.value + ending for ending in STEPS[name]}


def _recorded_actions() -> set[str]:
    """The first argument of every ``record(...)``/``audit.record(...)`` call in the code, and
    the actions the shared staff steps record (``STEPS``)."""
    found: set[str] = set()
    for path in PORTAL.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in STEPS and path.name != "staff_forms.py":
                found |= _step_actions(node, path)
                continue
            if name not in ("record", "record_read") or not node.args:
                continue
            if path.name == "staff_forms.py":
                continue  # the steps' own record(action, ...): their callers' actions are above
            first = node.args[0]
            if path.name == "audit.py" and isinstance(first, ast.JoinedStr):
                continue  # record_read's own f"read.{what}"
            # A literal, or a choice between literals ("member.create" if new else ...).
            options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            for option in options:
                assert isinstance(option, ast.Constant), f"{path}:{node.lineno}: a literal action"
                found.add(("read." if name == "record_read" else "") + option.value)
    return found


def test_every_recorded_action_has_a_label():
    recorded = _recorded_actions()
    assert len(recorded) > 30
    missing = sorted(recorded - ACTIONS.keys())
    assert not missing, f"add to portal/services/audit_labels.py ACTIONS: {missing}"


def test_labels_are_translated(app):
    with app.test_request_context("/poti/", headers={"Cookie": "lang=ka"}):
        app.preprocess_request()
        untranslated = [key for key, label in ACTIONS.items()
                        if not any("\u10d0" <= c <= "\u10ff" for c in str(label))]
    assert not untranslated


def test_values_are_shown_as_words_not_json(app):
    with app.test_request_context("/poti/", headers={"Cookie": "lang=en"}):
        app.preprocess_request()
        shown = describe_values({"roles": ["editor", "admin"], "active": False, "title": None})
    assert ("Roles", "Editor, Administrator") in shown and ("Active", "no") in shown
    assert ("Title", "—") in shown


def test_log_page_shows_labels(app, client, poti, staff):
    from portal.extensions import db
    from portal.tenancy import tenant_context

    with app.app_context(), tenant_context(poti):
        audit.record("staff.roles_changed", target="user:1", before={"roles": ["editor"]},
                     after={"roles": ["admin", "editor"]})
        db.session.commit()
    signed_in(client, staff(poti, ["admin"]))
    client.set_cookie("lang", "en")
    html = client.get("/poti/admin/audit").text
    assert "staff.roles_changed" not in html and "{&#34;roles&#34;" not in html
    assert "Staff roles changed" in html and "Administrator, Editor" in html
