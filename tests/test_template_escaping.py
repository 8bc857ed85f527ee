"""Every template's user text is escaped or sanitised (issue 17).

Jinja escapes what a template prints unless something marks it safe. Every such place is
found here, by parsing (templates with Jinja's own parser, Python with ``ast``), and must be on
an allow-list with the reason it is harmless: a new ``|safe``, ``{% autoescape false %}``,
``Markup(...)`` or ``__html__`` fails this test until someone reviews it and lists it.
Autoescaping itself must be on for every template extension that renders HTML or XML.
"""

from __future__ import annotations

import ast
from pathlib import Path

from jinja2 import nodes

PORTAL = Path(__file__).resolve().parent.parent / "portal"
TEMPLATES = PORTAL / "templates"

#: Filters that mark their input safe without escaping it.
UNESCAPING_FILTERS = {"safe"}

#: Templates allowed to mark text safe: (template, filter or tag) -> why it is harmless.
TEMPLATE_ALLOW: dict[tuple[str, str], str] = {}

#: ``Markup(...)`` calls allowed in Python: (file, enclosing function, argument's source) ->
#: why it is harmless. The argument's source is part of the key: changing what is wrapped
#: needs a new review.
MARKUP_ALLOW: dict[tuple[str, str, str], str] = {
    ("i18n.py", "__html__", "'<span lang=\"%s\">%s</span>'"):
        "a constant template; `%` on Markup escapes both arguments (the language code and the "
        "user's text)",
    ("i18n.py", "lang_attr", "' lang=\"ka\"'"): "a constant",
    ("i18n.py", "lang_attr", "''"): "a constant",
    ("services/sanitize.py", "clean_html", "''"): "a constant",
    ("services/sanitize.py", "clean_html", "cleaned"):
        "the output of nh3.clean with the sanitiser's allow-list of tags, attributes and URL "
        "schemes (portal/services/sanitize.py)",
}

#: Classes whose ``__html__`` Jinja trusts: (file, class) -> why.
HTML_METHOD_ALLOW: dict[tuple[str, str], str] = {
    ("i18n.py", "Text"): "returns Markup built from a constant template with `%`, which "
                             "escapes the text (listed in MARKUP_ALLOW)",
}

#: Templates built from a string at run time: (file, marker) -> why no user text is in it.
STRING_TEMPLATE_ALLOW: dict[tuple[str, str], str] = {
    ("web/shell.py", "from_string("):
        "the page shell's constant source (_SHELL_SOURCE: extends the layout, placeholders for "
        "the title and content); the page's own parts are rendered from files, escaped, and "
        "put in after rendering",
}

#: Template extensions rendered without autoescaping, and why that is right.
UNESCAPED_EXTENSIONS = {
    ".txt": "plain-text e-mail bodies (text/plain parts), never served as HTML; only under "
            "templates/emails/",
}


def _templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.is_file())


def _python_files() -> list[Path]:
    return sorted(PORTAL.rglob("*.py"))


def test_the_templates_are_all_found():
    names = [p.relative_to(TEMPLATES).as_posix() for p in _templates()]
    assert len(names) > 200 and "base.html" in names and "home/sitemap.xml" in names


def _unescaping_sites(env, source: str) -> set[str]:
    """``|safe``, ``{% filter safe %}`` and ``{% autoescape false %}`` in one template."""
    found = set()
    tree = env.parse(source)
    for node in tree.find_all((nodes.Filter, nodes.FilterBlock)):
        name = node.filter.name if isinstance(node, nodes.FilterBlock) else node.name
        if name in UNESCAPING_FILTERS:
            found.add(f"|{name}")
    for node in tree.find_all((nodes.ScopedEvalContextModifier, nodes.EvalContextModifier)):
        for option in node.options:
            if option.key == "autoescape" and not (
                    isinstance(option.value, nodes.Const) and option.value.value is True):
                found.add("autoescape false")
    return found


def test_no_template_marks_text_safe_unless_reviewed(app):
    env = app.jinja_env
    unreviewed = []
    for path in _templates():
        name = path.relative_to(TEMPLATES).as_posix()
        for site in _unescaping_sites(env, path.read_text(encoding="utf-8")):
            if (name, site) not in TEMPLATE_ALLOW:
                unreviewed.append(f"{name}: {site}")
    assert not unreviewed, ("text marked safe in templates; sanitise it in a service "
                            "(services/sanitize.py) or list it with a reason: " f"{unreviewed}")


def test_the_template_check_finds_what_it_must(app):
    """The parser-based check catches each form (so the test above can fail)."""
    env = app.jinja_env
    assert _unescaping_sites(env, "{{ x|safe }}") == {"|safe"}
    assert _unescaping_sites(env, "{{ x | e | safe }}") == {"|safe"}
    assert _unescaping_sites(env, "{% filter safe %}{{ x }}{% endfilter %}") == {"|safe"}
    assert _unescaping_sites(env, "{% autoescape false %}{{ x }}{% endautoescape %}") == {
        "autoescape false"}
    assert _unescaping_sites(env, "{% autoescape flag %}{{ x }}{% endautoescape %}") == {
        "autoescape false"}
    assert _unescaping_sites(env, "{% autoescape true %}{{ x|e }}{% endautoescape %}") == set()


# --- Python ---------------------------------------------------------------------------------

def _markup_names(tree: ast.Module) -> set[str]:
    """Local names bound to markupsafe's Markup (also through jinja2 or an alias)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("markupsafe", "jinja2",
                                                                 "flask", "jinja2.utils"):
            names.update(a.asname or a.name for a in node.names if a.name == "Markup")
    return names


def _markup_calls(source: str) -> list[tuple[str, str]]:
    """(enclosing function, argument source) of every Markup(...) call in ``source``."""
    tree = ast.parse(source)
    local = _markup_names(tree)
    found = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call):
                func = child.func
                called = (func.id if isinstance(func, ast.Name) else
                          func.attr if isinstance(func, ast.Attribute) else None)
                direct = isinstance(func, ast.Name) and called in local
                dotted = isinstance(func, ast.Attribute) and called == "Markup"
                if direct or dotted:
                    argument = ast.unparse(child.args[0]) if child.args else ""
                    found.append((function, argument))
            visit(child, function)

    visit(tree, "<module>")
    return found


def test_no_python_wraps_text_in_markup_unless_reviewed():
    unreviewed = []
    for path in _python_files():
        rel = path.relative_to(PORTAL).as_posix()
        for function, argument in _markup_calls(path.read_text(encoding="utf-8")):
            if (rel, function, argument) not in MARKUP_ALLOW:
                unreviewed.append(f"{rel}: {function}(): Markup({argument})")
    assert not unreviewed, ("Markup() around text that is not reviewed; sanitise it "
                            f"(services/sanitize.py) or list it with a reason: {unreviewed}")


def test_every_allowed_markup_call_still_exists():
    """A stale allow-list entry could let a later, different call through under its name."""
    present = {(path.relative_to(PORTAL).as_posix(), *call)
               for path in _python_files() for call in _markup_calls(path.read_text("utf-8"))}
    assert set(MARKUP_ALLOW) <= present, set(MARKUP_ALLOW) - present


def test_the_markup_check_finds_what_it_must():
    calls = _markup_calls(
        "from markupsafe import Markup as M\nimport markupsafe\n"
        "def f(name):\n    return M('<b>' + name + '</b>')\n"
        "def g(name):\n    return markupsafe.Markup(f'<i>{name}</i>')\n"
        "def h():\n    return M('<br>')\n")
    assert calls == [("f", "'<b>' + name + '</b>'"), ("g", "f'<i>{name}</i>'"), ("h", "'<br>'")]


def _html_methods(source: str) -> list[str]:
    return [node.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ClassDef)
            and any(isinstance(item, ast.FunctionDef) and item.name == "__html__"
                    for item in node.body)]


def test_no_class_claims_to_be_html_unless_reviewed():
    unreviewed = [f"{path.relative_to(PORTAL).as_posix()}: {name}"
                  for path in _python_files()
                  for name in _html_methods(path.read_text(encoding="utf-8"))
                  if (path.relative_to(PORTAL).as_posix(), name) not in HTML_METHOD_ALLOW]
    assert not unreviewed, f"__html__ that Jinja would trust, not reviewed: {unreviewed}"


def test_templates_render_no_unreviewed_string_templates():
    """Templates come from files (or a reviewed constant): a template built from a string
    at run time could carry user text as template code."""
    offenders = []
    for path in _python_files():
        source, rel = path.read_text(encoding="utf-8"), path.relative_to(PORTAL).as_posix()
        for marker in ("render_template_string", "from_string(", "jinja2.Template("):
            if marker in source and (rel, marker) not in STRING_TEMPLATE_ALLOW:
                offenders.append(f"{rel}: {marker}")
    assert not offenders, offenders


# --- autoescaping on ---------------------------------------------------------------------

def test_autoescape_is_on_for_every_extension_that_renders_markup(app):
    env = app.jinja_env
    for path in _templates():
        name = path.relative_to(TEMPLATES).as_posix()
        if path.suffix in UNESCAPED_EXTENSIONS:
            assert name.startswith("emails/"), f"{name}: rendered without escaping"
            continue
        autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
        assert autoescape, f"{name}: autoescaping is off for {path.suffix}"


def test_plain_text_templates_are_only_rendered_into_plain_text_parts():
    """The templates rendered without escaping (``.txt``) are used by the outbox alone, for
    an e-mail's subject and its text/plain part (its HTML part comes from the ``.html``
    template of the same name, escaped)."""
    users = sorted(path.relative_to(PORTAL).as_posix() for path in _python_files()
                   if '.txt"' in (text := path.read_text(encoding="utf-8"))
                   and "emails/" in text)
    assert users == ["services/outbox.py"], users
    source = (PORTAL / "services" / "outbox.py").read_text(encoding="utf-8")
    rendered = [line.strip() for line in source.splitlines() if '.txt"' in line]
    assert rendered and all(line.startswith(("subject = ", "text = ")) for line in rendered), \
        rendered


def test_user_text_is_escaped_in_a_rendered_page(app):
    """End to end, a hostile value printed through a real template is escaped."""
    with app.test_request_context("/"):
        html = app.jinja_env.from_string("{{ v }}").render(v="<script>alert(1)</script>")
        assert html == "&lt;script&gt;alert(1)&lt;/script&gt;"
