"""The feature registry (portal/blueprints): its entries drive registration, navigation, the
home page, the sitemap, the CSP and the jobs; a municipality can switch a feature off, and
then only that municipality loses it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from huey import SqliteHuey

from portal.blueprints import FEATURES, PLANNED, PLATFORM, SECTIONS, FeatureRegistry, get_registry
from portal.blueprints.feature import Feature, HomePart, Mount, NavLink, load
from portal.extensions import db
from portal.jobs import build_queue
from portal.jobs.schedule import SCHEDULE, full_schedule
from portal.tenancy import get_directory
from portal.tenancy.settings import profile_settings
from tests.staff_fixtures import signed_in

ENTRIES = PLATFORM + FEATURES


def test_every_mount_of_the_list_is_registered_under_its_name(app):
    for entry in ENTRIES:
        for mount in entry.blueprints:
            bp = load(mount.blueprint)
            name = mount.name or bp.name
            assert app.blueprints[name] is bp, (entry.name, name)
            rules = [r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith(name + ".")]
            assert rules, f"{name} has no routes: are its route modules listed?"
            tenant_scoped = all(r.startswith("/<tenant_slug>") for r in rules)
            assert tenant_scoped == (mount.on == "tenant"), name
    assert {b for e in PLANNED for b in e.blueprints} == set()
    assert not any(e.endpoint in app.view_functions for e in PLANNED)


def test_every_name_in_the_list_points_at_something_real(app):
    """Dotted targets import, endpoints exist, templates load."""
    for entry in ENTRIES + PLANNED:
        for target in (entry.models, entry.jobs, entry.demo, entry.cli, entry.sitemap, entry.settings,
                       *entry.routes):
            if target:
                assert load(target) is not None, target
        for link in entry.admin_nav:
            assert link.endpoint in app.view_functions, link.endpoint
        if entry.home:
            app.jinja_env.get_template(entry.home.template)
            assert entry.home.context is None or callable(load(entry.home.context))
    names = [e.name for e in ENTRIES + PLANNED]
    assert len(names) == len(set(names))


def test_the_registry_builds_the_blueprint_package_without_importing_routes():
    import ast
    from pathlib import Path

    source = Path(__file__).resolve().parent.parent / "portal/blueprints/sessions/__init__.py"
    top_level = [n for n in ast.parse(source.read_text()).body if isinstance(n, ast.Import | ast.ImportFrom)]
    assert all(getattr(n, "module", "") in ("flask", "__future__") for n in top_level)


def _tenant_with(tenant, off: list[str]):
    config = tenant.config.model_copy(update={"features": tenant.config.features.model_copy(update={"off": off})})
    return replace(tenant, config=config)


def test_an_entry_drives_admin_nav_home_and_csp_and_its_switch(app, poti):
    probe = Feature(
        "probe",
        admin_nav=(NavLink("Probe desk", "admin.index", order=5),),
        home=HomePart("probe/_home.html", "portal.blueprints.sessions.views.helpers:sessions_home"),
        content_origins={"frame-src": ("https://probe.example",), "img-src": ("https://img.probe.example",)},
        blueprints=(Mount("portal.blueprints.tour:bp"),),
    )
    registry = FeatureRegistry(app, PLATFORM + (probe,))
    with app.test_request_context():
        assert [link.endpoint for link in registry.admin_nav(poti)][:2] == ["admin.index", "admin.index"]
        assert [str(link.label) for link in registry.admin_nav(poti)][1] == "Probe desk"
    assert [p.template for p in registry.home_parts(poti)] == ["probe/_home.html"]
    origins = registry.content_origins(poti)
    assert origins["frame-src"] == ["https://probe.example"]
    assert origins["img-src"] == ["https://img.probe.example"]

    off = _tenant_with(poti, ["probe"])
    assert not off.has_feature("probe") and poti.has_feature("probe")
    assert "Probe desk" not in [str(link.label) for link in registry.admin_nav(off)]
    assert registry.home_parts(off) == [] and registry.content_origins(off) == {}
    # The platform's own parts cannot be switched off.
    assert {e.name for e in registry.enabled(_tenant_with(poti, ["admin"]))} >= {"admin", "home"}


def test_nav_link_marks_its_pages_current():
    link = NavLink("Archive", "sessions_admin.index", current=("sessions_admin.*",))
    assert link.is_current("sessions_admin.recordings") and not link.is_current("admin.index")
    assert NavLink("Dashboard", "admin.index").is_current("admin.index")
    assert not NavLink("Dashboard", "admin.index").is_current(None)


def test_public_navigation_shows_built_sections_in_list_order(app, client, poti, abasha):
    built = [s.name for s in SECTIONS if s.endpoint in app.view_functions]
    assert built == ["sessions", "news", "petitions", "letters", "surveys", "municipal_services",
                     "projects", "consultations", "documents", "satisfaction", "grants", "tour", "subscriptions"]
    nav = client.get("/poti/").text.split("</header>", 1)[0]
    assert (nav.index("/poti/sessions/") < nav.index("/poti/petitions/") < nav.index("/poti/letters/")
            < nav.index("/poti/tour/"))
    # Abasha has no tour address, but the section is there for its sights.
    assert "/abasha/tour/" in client.get("/abasha/").text


@pytest.fixture
def poti_without_sessions(app, poti):
    """Poti switched the council archive off (an admin override, as the settings page saves)."""
    with app.app_context():
        profile_settings.set_many({"features.off": ["sessions"]}, tenant_id=poti.id)
        db.session.commit()
    get_directory(app).invalidate()
    return get_directory(app).by_slug("poti")


def test_tenant_file_switch_loads(app, poti):
    from portal.tenancy.registry import TenantConfig

    profile = poti.config.model_dump(mode="json")
    profile["features"] = {"off": ["sessions"]}
    assert TenantConfig.model_validate(profile).features.off == ["sessions"]
    profile["features"] = {"off": ["sesions"]}
    with pytest.raises(ValueError, match="unknown feature 'sesions'"):
        TenantConfig.model_validate(profile)


def test_switched_off_pages_answer_404_for_that_municipality_only(app, client, staff, poti_without_sessions, abasha):
    assert not poti_without_sessions.has_feature("sessions")
    assert client.get("/poti/sessions/").status_code == 404
    assert client.get("/poti/sessions/search").status_code == 404
    assert client.get("/abasha/sessions/").status_code == 200
    assert client.get("/poti/").status_code == 200

    admin = staff(poti_without_sessions, ["admin"])
    signed_in(client, admin)
    assert client.get("/poti/admin/sessions/").status_code == 404
    dashboard = client.get("/poti/admin/")
    assert dashboard.status_code == 200
    assert "/poti/admin/sessions/" not in dashboard.text  # neither the nav link nor a panel

    abasha_admin = staff(abasha, ["admin"])
    other = app.test_client()
    signed_in(other, abasha_admin)
    assert other.get("/abasha/admin/sessions/").status_code == 200
    assert "/abasha/admin/sessions/" in other.get("/abasha/admin/").text


def test_switched_off_feature_leaves_nav_home_sitemap_and_csp(app, client, poti_without_sessions):
    client.set_cookie("lang", "en")
    home = client.get("/poti/")
    assert "/poti/sessions/" not in home.text
    assert "Sakrebulo sessions" not in home.text
    assert "youtube-nocookie" not in home.headers["Content-Security-Policy"]
    assert "tours.nala.ge" in home.headers["Content-Security-Policy"]  # the tour stays on
    assert "/sessions/" not in client.get("/poti/sitemap.xml").text

    abasha = client.get("/abasha/")
    assert "/abasha/sessions/" in abasha.text
    assert "youtube-nocookie" in abasha.headers["Content-Security-Policy"]
    assert "/abasha/sessions/" in client.get("/abasha/sitemap.xml").text


def test_feeds_of_the_features_on_are_linked_from_head_and_footer(app, client, poti_without_sessions):
    client.set_cookie("lang", "en")
    abasha = client.get("/abasha/").text
    head, footer = abasha.split("</head>")[0], abasha.split('<footer class="site-footer">')[1]
    assert '<link rel="alternate" type="text/calendar" href="/abasha/sessions/calendar.ics"' in head
    assert 'type="application/json" href="/abasha/sessions/api/' in head
    assert 'href="/abasha/sessions/calendar.ics" hx-boost="false">Calendar of upcoming sessions' in footer
    assert "Open data: the archive's API" in footer
    poti = client.get("/poti/").text
    assert "/poti/sessions/calendar.ics" not in poti and "/poti/sessions/api/" not in poti
    # petitions stay on in Poti: their feeds are still linked
    assert '<link rel="alternate" type="application/atom+xml" href="/poti/petitions/opened.atom"' in poti


CALLS: list[str] = []


def probe_part() -> dict:
    CALLS.append("probe")
    return {"upcoming": [], "live": []}


def test_the_home_part_comes_from_the_entry(app, client, poti, monkeypatch):
    """The home page includes each entry's part, with what the entry's function returns."""
    registry = get_registry(app)
    sessions = next(e for e in registry.entries if e.name == "sessions")
    assert sessions.home.template == "sessions/_home.html"
    monkeypatch.setattr(registry, "entries", tuple(
        replace(e, home=HomePart("sessions/_home.html", "tests.test_feature_registry:probe_part"))
        if e is sessions else e for e in registry.entries))
    CALLS.clear()
    assert client.get("/poti/").status_code == 200
    assert CALLS == ["probe"]


def test_periodic_jobs_skip_municipalities_that_switched_the_feature_off(
        app, tmp_path, poti_without_sessions, abasha):
    queue = build_queue(app, SqliteHuey("registry-test", filename=str(tmp_path / "jobs.sqlite3"), results=False))
    for job in ("sync_sessions", "send_outbox"):
        [fan_out] = [t for t in queue.huey._registry._periodic_tasks if t.__name__ == f"periodic.{job}"]
        fan_out().execute()
    pending = [(t.name, t.args[0]) for t in queue.huey.pending()]
    assert ("sync_sessions", abasha.id) in pending
    assert ("sync_sessions", poti_without_sessions.id) not in pending
    assert ("send_outbox", poti_without_sessions.id) in pending  # a platform job: not a feature's
    assert {e.job for e in full_schedule(app)} >= {"sync_sessions", "send_outbox"}
    assert "sync_sessions" not in {e.job for e in SCHEDULE}  # declared by its registry entry


def test_global_search_leaves_out_municipalities_without_the_archive(app, client, poti_without_sessions):
    page = client.get("/search?q=x").text
    assert 'value="abasha"' in page and 'value="poti"' not in page
