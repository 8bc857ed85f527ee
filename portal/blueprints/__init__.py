"""The explicit list of features: what is registered, in which order, and what each adds.

``PLATFORM`` lists the portal's own parts (home page, sign-in, the admins); ``FEATURES`` the
sections a municipality can have, in navigation order. One entry (``feature.Feature``) drives
blueprint registration, model import, job modules, demo loading, CLI groups, the admin and
public navigation, the home page's parts, the sitemap, the CSP's content origins and the
feature's settings form. ``PLANNED`` names the sections not built yet: they never show (no
dead links), and a planned feature's settings keep working before its pages exist.

A municipality switches a feature off with ``[features] off = [...]`` in its tenant.toml or in
its admin settings (``TenantInfo.has_feature``): its pages answer 404 and every part of it
above disappears for that municipality.
"""

from __future__ import annotations

from functools import partial

from flask import Flask, abort
from flask_babel import lazy_gettext as _l

from portal.blueprints.feature import Every, Feature, FeedLink, HomePart, Mount, NavLink, load
from portal.tenancy import TENANT_PREFIX, TenantInfo, get_current_tenant

PLATFORM: tuple[Feature, ...] = (
    Feature(
        "home", blueprints=(Mount("portal.blueprints.home:bp"),),
        routes=("portal.blueprints.home.views", "portal.blueprints.home.crawlers"),
        switchable=False,
    ),
    Feature(
        "platform", blueprints=(Mount("portal.blueprints.platform:bp", on="platform"),),
        routes=("portal.blueprints.platform.views",), switchable=False,
    ),
    Feature(
        "accounts",
        blueprints=(Mount("portal.blueprints.accounts:bp", "/accounts"),
                    # the same sign-in on the shared host, for platform admins
                    Mount("portal.blueprints.accounts:bp", "/accounts", "platform_accounts", on="platform")),
        routes=("portal.blueprints.accounts.views", "portal.blueprints.accounts.recovery"),
        models="portal.blueprints.accounts.models", jobs="portal.blueprints.accounts.tasks",
        switchable=False,
    ),
    Feature(
        "admin", blueprints=(Mount("portal.blueprints.admin:bp"),),
        routes=("portal.blueprints.admin.views", "portal.blueprints.admin.settings",
                "portal.blueprints.admin.feature_settings", "portal.blueprints.admin.staff",
                "portal.blueprints.admin.audit_log", "portal.blueprints.admin.outbox",
                "portal.blueprints.admin.working_days"),
        admin_nav=(
            NavLink(_l("Dashboard"), "admin.index", order=0),
            NavLink(_l("Settings"), "admin.settings", "settings.edit",
                    ("admin.settings*", "admin.feature_*", "admin.working_days*"), 10),
            NavLink(_l("Staff"), "admin.staff", "staff.manage", ("admin.staff", "admin.member"), 20),
            NavLink(_l("Messages"), "admin.outbox", "outbox.manage", order=80),
            NavLink(_l("Audit log"), "admin.audit_log", "audit.view", order=90),
        ),
        switchable=False,
    ),
    Feature(
        "unsubscribe", blueprints=(Mount("portal.blueprints.unsubscribe:bp"),),
        routes=("portal.blueprints.unsubscribe.views",), switchable=False,
    ),
    Feature(
        "platform_admin", blueprints=(Mount("portal.blueprints.platform_admin:bp", on="platform"),),
        routes=("portal.blueprints.platform_admin.views", "portal.blueprints.platform_admin.jobs"),
        switchable=False,
    ),
)


def _tour_origins(tenant: TenantInfo) -> dict[str, tuple[str, ...]]:
    """The configured tour's host (frame-src, nothing else) and the sights map's tiles (img-src,
    also where projects are off)."""
    from urllib.parse import urlsplit

    origins = dict(load("portal.blueprints.projects.settings:content_origins")(tenant))
    if tenant.config.tour_url:
        parts = urlsplit(tenant.config.tour_url)
        origins["frame-src"] = (f"{parts.scheme}://{parts.netloc}",)
    return origins


def _project_origins(tenant: TenantInfo) -> dict[str, tuple[str, ...]]:
    return load("portal.blueprints.projects.settings:content_origins")(tenant)


FEATURES: tuple[Feature, ...] = (
    Feature(
        "sessions", _l("Sakrebulo sessions"), "sessions.index",
        blueprints=(Mount("portal.blueprints.sessions:bp"),
                    Mount("portal.blueprints.sessions.admin:bp"),
                    # the cross-municipality search at /search
                    Mount("portal.blueprints.sessions:global_bp", on="platform")),
        routes=("portal.blueprints.sessions.views.views", "portal.blueprints.sessions.views.helpers",
                "portal.blueprints.sessions.views.search_views", "portal.blueprints.sessions.views.feeds",
                "portal.blueprints.sessions.views.api", "portal.blueprints.sessions.views.api_docs",
                "portal.blueprints.sessions.views.reports",
                "portal.blueprints.sessions.council.seat_roles",
                "portal.blueprints.sessions.admin.council", "portal.blueprints.sessions.admin.members",
                "portal.blueprints.sessions.admin.agenda_documents",
                "portal.blueprints.sessions.admin.recordings",
                "portal.blueprints.sessions.admin.sync_panel",
                "portal.blueprints.sessions.admin.reports"),
        models="portal.blueprints.sessions.models",
        jobs="portal.blueprints.sessions.tasks",
        schedule=(
            # Every 10 minutes, so a livestream shows on the home page within ten minutes of
            # going live. An unchanged YouTube channel costs 2 quota units a run
            # (channels.list + one playlistItems.list page; videos.list only for new videos,
            # plus 1 while a live or upcoming video is watched): 144 runs, about 290-430 units
            # a day per municipality, so the default 10,000 units a day of one API key serve
            # some 20 of them. Facebook costs 2 Graph API calls a run, far below a Page
            # token's hourly limit.
            Every("sync_sessions", minute="*/10"),
            # Documents' text: uploads queue their own job; this reads those whose job was lost.
            Every("extract_stale_documents", minute="5-59/10"),
            # Saved searches of the archive: what the sync and the clerk added since the last
            # run, each matched thing sent once.
            Every("send_search_alerts", minute="7-59/10"),
        ),
        demo="portal.blueprints.sessions.demo:load_demo_archive",
        cli="portal.blueprints.sessions.cli:archive_cli",
        admin_nav=(NavLink(_l("Sakrebulo archive"), "sessions_admin.index", "sessions.edit",
                           ("sessions_admin.*",), 50),),
        home=HomePart("sessions/_home.html", "portal.blueprints.sessions.views.helpers:sessions_home"),
        feeds=(FeedLink("sessions.calendar", _l("Calendar of upcoming sessions (iCalendar)"), "text/calendar",
                        _l("Calendar of upcoming sessions"), boost=False),
               FeedLink("sessions.api_sessions", type="application/json", title=_l("Sessions as JSON")),
               FeedLink("sessions.api_docs", _l("Open data: the archive's API"))),
        sitemap="portal.blueprints.sessions.views.sitemap:archive_pages",
        content_origins={"frame-src": ("https://www.youtube-nocookie.com", "https://www.facebook.com"),
                         "img-src": ("https://i.ytimg.com",)},
    ),
    Feature(
        "news", _l("News"), "news.index",
        blueprints=(Mount("portal.blueprints.news:bp"), Mount("portal.blueprints.news.admin:bp")),
        routes=("portal.blueprints.news.views.pages", "portal.blueprints.news.views.feeds",
                "portal.blueprints.news.admin.items", "portal.blueprints.news.admin.categories"),
        models="portal.blueprints.news.models",
        jobs="portal.blueprints.news.tasks",
        # Items scheduled for later are announced to subscribers once their time has come.
        schedule=(Every("announce_scheduled_news", minute="*"),),
        demo="portal.blueprints.news.demo:load_demo_news",
        home=HomePart("news/_home.html", "portal.blueprints.news.views.parts:news_home"),
        sitemap="portal.blueprints.news.views.parts:news_pages",
        feeds=(FeedLink("news.feed_atom", _l("News (Atom)"), "application/atom+xml", _l("News")),
               FeedLink("news.feed_rss", type="application/rss+xml", title=_l("News (RSS)"))),
        admin_nav=(NavLink(_l("News"), "news_admin.index", "news.edit", ("news_admin.*",), 30),),
    ),
    Feature(
        "petitions", _l("Petitions"), "petitions.index",
        blueprints=(Mount("portal.blueprints.petitions:bp"),
                    Mount("portal.blueprints.petitions.admin:bp"),
                    Mount("portal.blueprints.petitions.author:bp"),
                    # the cross-municipality list at /petitions/
                    Mount("portal.blueprints.petitions:platform_bp", on="platform")),
        routes=("portal.blueprints.petitions.views.public",
                "portal.blueprints.petitions.views.signing",
                "portal.blueprints.petitions.views.open_data",
                "portal.blueprints.petitions.views.platform",
                "portal.blueprints.petitions.admin.moderation",
                "portal.blueprints.petitions.admin.bursts",
                "portal.blueprints.petitions.admin.clerk",
                "portal.blueprints.petitions.author.views",
                "portal.blueprints.petitions.author.profile",
                "portal.blueprints.petitions.author.cosponsors"),
        models="portal.blueprints.petitions.models",
        jobs="portal.blueprints.petitions.tasks",
        schedule=(
            # Confirmed signatures join the public count within a minute.
            Every("count_signatures"),
            # Daily: each count equals its confirmed rows; signers of petitions closed long
            # enough ago are anonymised.
            Every("reconcile_signature_counts", minute="53", hour="2"),
            Every("anonymise_signatures", minute="7", hour="4"),
        ),
        demo="portal.blueprints.petitions.demo:load_demo_petitions",
        home=HomePart("petitions/_home.html", "portal.blueprints.petitions.views.parts:petitions_home"),
        sitemap="portal.blueprints.petitions.views.parts:petition_pages",
        feeds=(FeedLink("petitions.feed_opened", _l("New petitions (Atom)"), "application/atom+xml",
                        _l("New petitions")),
               FeedLink("petitions.feed_changes", _l("Petitions' decisions (Atom)"),
                        "application/atom+xml", _l("Petitions' decisions and status changes")),
               FeedLink("petitions.api_docs", _l("Open data: the petitions API"))),
        settings="portal.blueprints.petitions.settings:petitions_settings",
        admin_nav=(NavLink(_l("Petition moderation"), "petitions_admin.moderation",
                           "petitions.moderate", ("petitions_admin.moderation", "petitions_admin.review"), 40),
                   NavLink(_l("Petitions"), "petitions_admin.index", "petitions.clerk",
                           ("petitions_admin.index", "petitions_admin.petition",
                            "petitions_admin.voter_count"), 41)),
    ),
    Feature(
        "letters", _l("Letters to the mayor and the Sakrebulo chair"), "letters.index",
        blueprints=(Mount("portal.blueprints.letters:bp"),
                    Mount("portal.blueprints.letters.admin:mayor_bp"),
                    Mount("portal.blueprints.letters.admin:chair_bp")),
        routes=("portal.blueprints.letters.views.writing",
                "portal.blueprints.letters.views.public",
                "portal.blueprints.letters.views.feedback",
                "portal.blueprints.letters.views.mine",
                "portal.blueprints.letters.admin.inbox"),
        models="portal.blueprints.letters.models",
        jobs="portal.blueprints.letters.tasks",
        schedule=(
            # Daily: writers are asked about answers given (or due) long enough ago; contacts
            # of letters closed long enough ago are erased.
            Every("ask_letter_feedback", minute="17", hour="10"),
            Every("anonymise_letters", minute="27", hour="4"),
        ),
        demo="portal.blueprints.letters.demo:load_demo_letters",
        settings="portal.blueprints.letters.settings:letters_settings",
        admin_nav=(NavLink(_l("Letters to the mayor"), "letters_mayor.index", "letters.mayor",
                           ("letters_mayor.*",), 42),
                   NavLink(_l("Letters to the Sakrebulo chair"), "letters_chair.index", "letters.chair",
                           ("letters_chair.*",), 43)),
    ),
    Feature(
        "surveys", _l("Surveys"), "surveys.index",
        blueprints=(Mount("portal.blueprints.surveys:bp"), Mount("portal.blueprints.surveys.admin:bp")),
        routes=("portal.blueprints.surveys.views", "portal.blueprints.surveys.answer_views",
                "portal.blueprints.surveys.admin.views", "portal.blueprints.surveys.admin.results"),
        models="portal.blueprints.surveys.models",
        demo="portal.blueprints.surveys.demo:load_demo_surveys",
        home=HomePart("surveys/_home.html", "portal.blueprints.surveys.polls:home_part"),
        sitemap="portal.blueprints.surveys.polls:survey_pages",
        admin_nav=(NavLink(_l("Surveys"), "surveys_admin.index", "surveys.manage", ("surveys_admin.*",), 44),),
    ),
    Feature(
        "municipal_services", _l("Services"), "municipal_services.index",
        blueprints=(Mount("portal.blueprints.municipal_services:bp"),
                    Mount("portal.blueprints.municipal_services.admin:bp")),
        routes=("portal.blueprints.municipal_services.views.catalogue",
                "portal.blueprints.municipal_services.views.applying",
                "portal.blueprints.municipal_services.views.status",
                "portal.blueprints.municipal_services.views.mine",
                "portal.blueprints.municipal_services.admin.queue",
                "portal.blueprints.municipal_services.admin.editing"),
        models="portal.blueprints.municipal_services.models",
        jobs="portal.blueprints.municipal_services.tasks",
        # Reminders of tomorrow's appointments, hourly from 09:05 to 20:05 in Georgia (UTC+4):
        # each appointment is reminded once (reminded_at, the outbox key), whenever it was booked.
        schedule=(Every("send_service_reminders", minute="5", hour="5-16"),),
        demo="portal.blueprints.municipal_services.demo:load_demo_services",
        sitemap="portal.blueprints.municipal_services.views.catalogue:service_pages",
        admin_nav=(NavLink(_l("Service queue"), "municipal_services_admin.index", "services.operate",
                           ("municipal_services_admin.index", "municipal_services_admin.request*"), 44),
                   NavLink(_l("Services catalogue"), "municipal_services_admin.catalogue_index",
                           "services.edit", ("municipal_services_admin.catalogue*",
                                             "municipal_services_admin.service*",
                                             "municipal_services_admin.field*",
                                             "municipal_services_admin.department*"), 45)),
    ),
    Feature(
        "projects", _l("Projects"), "projects.index",
        blueprints=(Mount("portal.blueprints.projects:bp"), Mount("portal.blueprints.projects.admin:bp")),
        routes=("portal.blueprints.projects.views.public", "portal.blueprints.projects.admin.editing"),
        models="portal.blueprints.projects.models",
        demo="portal.blueprints.projects.demo:load_demo_projects",
        sitemap="portal.blueprints.projects.views.parts:project_pages",
        feeds=(FeedLink("projects.feed", _l("Projects' updates (Atom)"), "application/atom+xml",
                        _l("Projects' updates")),),
        settings="portal.blueprints.projects.settings:projects_settings",
        admin_nav=(NavLink(_l("Projects"), "projects_admin.index", "projects.edit", ("projects_admin.*",), 35),),
        # The map's tile server (a setting, OpenStreetMap's by default).
        content_origins=_project_origins,
    ),
    Feature(
        "consultations", _l("Public consultations"), "consultations.index",
        blueprints=(Mount("portal.blueprints.consultations:bp"),
                    Mount("portal.blueprints.consultations.admin:bp")),
        routes=("portal.blueprints.consultations.views.public",
                "portal.blueprints.consultations.admin.editing",
                "portal.blueprints.consultations.admin.moderation"),
        models="portal.blueprints.consultations.models",
        demo="portal.blueprints.consultations.demo:load_demo_consultations",
        sitemap="portal.blueprints.consultations.views.parts:consultation_pages",
        admin_nav=(NavLink(_l("Public consultations"), "consultations_admin.index", "consultations.manage",
                           ("consultations_admin.*",), 36),),
    ),
    Feature(
        "documents", _l("Documents"), "documents.index",
        blueprints=(Mount("portal.blueprints.documents:bp"), Mount("portal.blueprints.documents.admin:bp")),
        routes=("portal.blueprints.documents.views.public", "portal.blueprints.documents.admin.editing"),
        models="portal.blueprints.documents.models",
        jobs="portal.blueprints.documents.tasks",
        # Files whose text-reading job was lost (a killed worker).
        schedule=(Every("extract_stale_register_texts", minute="7-59/10"),),
        demo="portal.blueprints.documents.demo:load_demo_documents",
        sitemap="portal.blueprints.documents.views.parts:document_pages",
        feeds=(FeedLink("documents.feed", _l("New documents (Atom)"), "application/atom+xml",
                        _l("New documents")),),
        admin_nav=(NavLink(_l("Documents"), "documents_admin.index", "documents.edit",
                           ("documents_admin.*",), 36),),
    ),
    Feature(
        "satisfaction", _l("Citizen satisfaction"), "satisfaction.index",
        blueprints=(Mount("portal.blueprints.satisfaction:bp"),
                    Mount("portal.blueprints.satisfaction.admin:bp")),
        routes=("portal.blueprints.satisfaction.views", "portal.blueprints.satisfaction.admin.views"),
        models="portal.blueprints.satisfaction.models",
        jobs="portal.blueprints.satisfaction.tasks",
        # Invitations recorded by letters, petitions and services go out within minutes.
        schedule=(Every("send_satisfaction_invitations", minute="*/5"),),
        demo="portal.blueprints.satisfaction.demo:load_demo_satisfaction",
        admin_nav=(NavLink(_l("Citizen satisfaction"), "satisfaction_admin.index", "satisfaction.view",
                           ("satisfaction_admin.*",), 45),),
    ),
    Feature(
        "grants", _l("Small grants"), "grants.index",
        blueprints=(Mount("portal.blueprints.grants:bp"), Mount("portal.blueprints.grants.admin:bp")),
        routes=("portal.blueprints.grants.views.public", "portal.blueprints.grants.views.applying",
                "portal.blueprints.grants.admin.views"),
        models="portal.blueprints.grants.models",
        demo="portal.blueprints.grants.demo:load_demo_grants",
        admin_nav=(NavLink(_l("Small grants"), "grants_admin.index", "grants.score",
                           ("grants_admin.*",), 45),),
    ),
    Feature(
        "tour", _l("Virtual tour and sights"), "tour.index",
        blueprints=(Mount("portal.blueprints.tour:bp"), Mount("portal.blueprints.tour.admin:bp")),
        routes=("portal.blueprints.tour.views", "portal.blueprints.tour.admin.editing"),
        models="portal.blueprints.tour.models",
        demo="portal.blueprints.tour.demo:load_demo_sights",
        sitemap="portal.blueprints.tour.views:sight_pages",
        admin_nav=(NavLink(_l("Sights"), "tour_admin.index", "tour.edit", ("tour_admin.*",), 36),),
        # The provider's player (frame-src: the configured tour host only) and the map's tiles.
        content_origins=_tour_origins,
    ),
    Feature(
        "subscriptions", _l("Subscriptions"), "subscriptions.index",
        blueprints=(Mount("portal.blueprints.subscriptions:bp"),
                    Mount("portal.blueprints.subscriptions.admin:bp")),
        routes=("portal.blueprints.subscriptions.views",
                "portal.blueprints.subscriptions.sms_views",
                "portal.blueprints.subscriptions.reply_views",
                "portal.blueprints.subscriptions.admin.views"),
        models="portal.blueprints.subscriptions.models",
        jobs="portal.blueprints.subscriptions.tasks",
        # Daily: contacts never confirmed are deleted (personal data kept no longer).
        schedule=(Every("purge_unconfirmed_subscribers", minute="23", hour="3"),
                  # Notices whose sending job was lost (a crash, the queue unreachable).
                  Every("resume_notices", minute="*/10"),
                  # The daily digest, 08:00 in Georgia (UTC+4).
                  Every("send_subscription_digests", minute="0", hour="4"),
                  # The ids of SMS replies (STOP) past their month.
                  Every("purge_sms_replies", minute="41", hour="3")),
        demo="portal.blueprints.subscriptions.demo:load_demo_subscribers",
        admin_nav=(NavLink(_l("Subscriptions"), "subscriptions_admin.index",
                           "subscriptions.broadcast", ("subscriptions_admin.*",), 60),),
    ),
)

#: Sections of the product not built yet, in navigation order; nothing of theirs is
#: registered. A planned feature with settings already has them (edited in the admin).
PLANNED: tuple[Feature, ...] = ()

#: Every section the product names, built or planned (what page text may mention).
SECTIONS: tuple[Feature, ...] = tuple(f for f in FEATURES + PLANNED if f.endpoint)


def switchable_features() -> tuple[Feature, ...]:
    return tuple(f for f in FEATURES if f.switchable)


def feature_names() -> frozenset[str]:
    return frozenset(f.name for f in FEATURES + PLANNED)


def import_feature_modules() -> None:
    """Import every entry's models and settings: the metadata (Alembic, create_all) and the
    tenant.toml validation (feature settings tables) must know them before any use."""
    from portal.tenancy.registry import declare_feature_names

    # A planned feature may be switched off before it is built.
    declare_feature_names(f.name for f in switchable_features() + PLANNED)
    for entry in PLATFORM + FEATURES + PLANNED:
        for target in (entry.models, entry.settings):
            if target:
                load(target)


def register_features(app: Flask) -> None:
    """Register every entry's blueprints (shared-host ones first), after importing its route
    modules; a switchable feature's municipality blueprints answer 404 where it is off."""
    entries = PLATFORM + FEATURES
    for entry in entries:
        for module in entry.routes:
            load(module)
    for on in ("platform", "tenant"):
        for entry in entries:
            for mount in entry.mounts(on):
                bp = load(mount.blueprint)
                name = mount.name or bp.name
                prefix = mount.url_prefix if mount.url_prefix is not None else bp.url_prefix
                if on == "tenant":
                    prefix = TENANT_PREFIX + (prefix or "")
                app.register_blueprint(bp, url_prefix=prefix, name=name)
                if on == "tenant" and entry.switchable:
                    app.before_request_funcs.setdefault(name, []).append(
                        partial(_refuse_when_off, entry.name))
    app.extensions["features"] = FeatureRegistry(app, entries)


def _refuse_when_off(name: str):
    tenant = get_current_tenant()
    if tenant is not None and not tenant.has_feature(name):
        abort(404)


class FeatureRegistry:
    """The registered entries, asked per municipality (``app.extensions["features"]``), so
    that platform code (security headers, jobs) needs no import of the features."""

    def __init__(self, app: Flask, entries: tuple[Feature, ...]):
        self.app = app
        self.entries = entries

    def enabled(self, tenant: TenantInfo | None) -> list[Feature]:
        """Entries on for ``tenant`` (every entry when there is none: the shared host)."""
        return [e for e in self.entries
                if tenant is None or not e.switchable or tenant.has_feature(e.name)]

    def content_origins(self, tenant: TenantInfo | None) -> dict[str, list[str]]:
        """Origins per CSP directive that the features on for ``tenant`` load content from."""
        found: dict[str, list[str]] = {}
        for entry in self.enabled(tenant):
            origins = entry.content_origins
            if callable(origins):
                origins = origins(tenant) if tenant is not None else {}
            for directive, values in origins.items():
                found.setdefault(directive, [])
                found[directive] += [v for v in values if v not in found[directive]]
        return found

    def admin_nav(self, tenant: TenantInfo) -> list[NavLink]:
        links = [link for e in self.enabled(tenant) for link in e.admin_nav
                 if link.endpoint in self.app.view_functions]
        return sorted(links, key=lambda link: link.order)

    def home_parts(self, tenant: TenantInfo) -> list[HomePart]:
        return [e.home for e in self.enabled(tenant) if e.home]

    def sitemap_sources(self, tenant: TenantInfo) -> list:
        return [load(e.sitemap) for e in self.enabled(tenant) if e.sitemap]

    def feature_of_module(self, module: str) -> Feature | None:
        """The switchable feature whose job module is ``module``."""
        return next((e for e in self.entries if e.switchable and e.jobs == module), None)

    def settings_tabs(self, tenant: TenantInfo) -> list[tuple[Feature, object]]:
        """(entry, FeatureSettings) of every feature on for ``tenant`` that declares settings,
        planned ones included."""
        planned = [e for e in PLANNED if tenant.has_feature(e.name)]
        return [(e, load(e.settings)) for e in [*self.enabled(tenant), *planned] if e.settings]


def get_registry(app: Flask) -> FeatureRegistry:
    return app.extensions["features"]


def job_modules() -> tuple[str, ...]:
    return tuple(e.jobs for e in PLATFORM + FEATURES if e.jobs)


def demo_loaders() -> list:
    return [load(e.demo) for e in PLATFORM + FEATURES if e.demo]


def cli_groups() -> list:
    return [load(e.cli) for e in PLATFORM + FEATURES if e.cli]


def sections_of_any(app: Flask, tenants) -> list[Feature]:
    """Sections at least one of ``tenants`` has, in navigation order (what the platform's
    pages may name)."""
    built = {s.name for tenant in tenants for s in nav_sections(app, tenant)}
    return [s for s in SECTIONS if s.name in built]


def nav_sections(app: Flask, tenant: TenantInfo) -> list[Feature]:
    """Sections built (endpoint registered), available and switched on for this municipality."""
    return [
        s for s in SECTIONS
        if s.endpoint in app.view_functions and (s.available is None or s.available(tenant))
        and tenant.has_feature(s.name)
    ]
