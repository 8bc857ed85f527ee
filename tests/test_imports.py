"""The shape of the code, read from its imports (``ast``, nothing is imported here):

(a) no import cycle among portal modules at module level (an import inside a function runs
    later, when every module is loaded, so it does not count);
(b) a feature (``portal/blueprints/<feature>/``) does not reach into another feature's
    modules, save the platform pieces listed in ``SHARED_FEATURE_MODULES``;
(c) the platform (services, web, tenancy, jobs, delivery, i18n, db) does not import the
    features at module level: features build on it, never the other way round.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PORTAL = ROOT / "portal"
FEATURES = "portal.blueprints"

#: Modules of a feature that every feature may import for now, and why.
SHARED_FEATURE_MODULES = {
    "portal.blueprints.accounts.models": "staff users and their roles are the platform's",
    "portal.blueprints.accounts.queries": "who may act on what: permission lookups",
    "portal.blueprints.accounts.services": "the `requires` permission decorator, staff verbs",
    "portal.blueprints.accounts.notifications": "messages to staff go through one place",
    "portal.blueprints.admin.dashboard": "features register their tiles on the admin dashboard",
    "portal.blueprints.accounts.mine": "features list the citizen's things on My page",
    "portal.blueprints.subscriptions.topics": "features register the topics one subscribes to "
                                              "and tell their subscribers (notify)",
    "portal.blueprints.satisfaction.invitations": "letters, petitions and services invite the "
                                                  "citizen to rate what was done for them",
    "portal.blueprints.surveys.polls": "a quick poll in a news article ([poll:<id>]) and on the "
                                       "home page",
    "portal.blueprints.municipal_services.events": "services announce completed requests "
                                                   "(on_completed: the satisfaction invitations)",
    "portal.blueprints.projects.settings": "the municipality's map tiles, behind every map "
                                           "(projects, the tour's sights) and in the CSP",
    "portal.blueprints.sessions.links": "the archive's public face: sessions, transcript lines, "
                                        "moments and their links, the session page's back-links",
}

#: Modules that assemble the features, so they may import any of them.
ASSEMBLERS = {
    "portal.blueprints": "the registry: the list of features",
    "portal": "create_app",
    "portal.demo": "loads every feature's demo data",
    "portal.cli": "adds every feature's commands",
    "portal.jobs": "lists every feature's job modules",
}

#: The platform: none of it imports a feature at module level.
PLATFORM = ("portal.services", "portal.web", "portal.tenancy", "portal.jobs", "portal.delivery",
            "portal.i18n", "portal.db")

#: Cycles known and being removed, each with who removes it. Keep this empty when you can.
KNOWN_CYCLES: dict[frozenset[str], str] = {}


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    top_level: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PORTAL.rglob("*.py"))}


def is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def resolve(name: str) -> str | None:
    """The portal module ``name`` names (itself, or the nearest enclosing module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(name: str) -> list[Import]:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if is_package(name) else name.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, top_level: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                visit(child, False)
            elif isinstance(child, ast.If) and _type_checking(child):
                continue  # never runs
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    add(alias.name, child.lineno, top_level)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                for alias in child.names:
                    # ``from package import module`` imports the module; a name is the package's
                    add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base,
                        child.lineno, top_level)
            else:
                visit(child, top_level)

    def add(target: str, line: int, top_level: bool) -> None:
        resolved = resolve(target) if target.startswith("portal") else None
        if resolved and resolved != name:
            found.append(Import(name, resolved, line, top_level))

    visit(tree, True)
    return found


IMPORTS = [i for name in MODULES for i in imports_of(name)]


def feature_of(name: str) -> str | None:
    parts = name.split(".")
    if len(parts) < 3 or parts[:2] != ["portal", "blueprints"]:
        return None
    # portal/blueprints/feature.py is the registry's, not a feature: features are packages
    return parts[2] if is_package(".".join(parts[:3])) else None


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def module_level_graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    for found in IMPORTS:
        # No exception for blueprint packages: the registry (portal/blueprints) imports their
        # route modules, so a package never imports its own views back.
        if found.top_level:
            edges[found.source].add(found.target)
    return edges


def test_the_reader_sees_the_imports():
    """Guards the guard: it finds imports of each kind in a module it knows."""
    targets = {(i.target, i.top_level) for i in IMPORTS if i.source == "portal.blueprints.sessions"}
    assert ("portal.web.problems", False) in targets
    views = {(i.target, i.top_level) for i in IMPORTS if i.source == "portal.blueprints.home.views"}
    assert ("portal.blueprints.home", True) in views
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_at_module_level():
    found = [frozenset(c) for c in cycles(module_level_graph())]
    unknown = [sorted(c) for c in found if c not in KNOWN_CYCLES]
    assert not unknown, f"import cycles: {unknown}"
    gone = [KNOWN_CYCLES[c] for c in KNOWN_CYCLES if c not in found]
    assert not gone, f"a known cycle is gone, remove it from KNOWN_CYCLES: {gone}"


def test_no_feature_imports_another_features_modules():
    wrong = []
    for found in IMPORTS:
        mine, theirs = feature_of(found.source), feature_of(found.target)
        if theirs is None or theirs == mine or found.target in SHARED_FEATURE_MODULES:
            continue
        if any(found.source == a for a in ASSEMBLERS):
            continue
        wrong.append(f"{found.source}:{found.line} imports {found.target}")
    assert not wrong, "a feature reaches into another one:\n" + "\n".join(wrong)


@pytest.mark.parametrize("platform", PLATFORM)
def test_the_platform_does_not_import_features_at_module_level(platform):
    wrong = [f"{i.source}:{i.line} imports {i.target}" for i in IMPORTS
             if within(i.source, platform) and i.top_level and within(i.target, FEATURES)
             and i.source not in ASSEMBLERS]
    assert not wrong, "\n".join(wrong)
