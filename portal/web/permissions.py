"""Who may do what: roles per municipality, and the ONE way a route declares its permission.

Every staff route carries ``@requires("<permission>")``. The decorator signs the visitor in
(or sends them to sign-in), insists on a finished two-factor sign-in, and checks the roles the
person holds in the *current* municipality: on the shared host one cookie serves every
municipality, so a Poti role never opens an Abasha page. Platform permissions
(``platform.*``) belong to platform admins. Routes under ``/admin`` or ``/platform`` without a
declaration are refused at run time (``enforce_declarations``) and fail the isolation test.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.db import READ_ONLY_METHODS
from portal.web.redirects import return_path

#: Each permission, with what it lets a person do (shown on the staff page).
PERMISSIONS: dict[str, object] = {
    "admin.view": _l("Open the municipality's administration and dashboard"),
    "settings.edit": _l("Edit the municipality's settings"),
    "staff.manage": _l("Invite staff, assign and revoke roles"),
    "audit.view": _l("Read and search the audit log"),
    "news.edit": _l("Edit news"),
    "pages.edit": _l("Edit pages"),
    "documents.edit": _l("Edit documents"),
    "sessions.edit": _l("Manage Sakrebulo sessions and their archive"),
    "petitions.moderate": _l("Moderate petitions: publish, ask for changes, reject"),
    "petitions.clerk": _l("Handle petitions for the Sakrebulo: voter count, paper signatures, "
                          "verification, status, signature export"),
    "letters.chair": _l("Answer letters to the Sakrebulo chair"),
    "letters.mayor": _l("Answer letters to the mayor"),
    "satisfaction.view": _l("Read citizen satisfaction: ratings, response rates and comments; "
                            "publish or hide comments"),
    "surveys.manage": _l("Build surveys and quick polls, read and publish their results, export "
                         "their answers"),
    "grants.manage": _l("Run small-grant calls"),
    "grants.score": _l("Score small-grant applications as a committee member"),
    "projects.edit": _l("Edit infrastructure projects and post their updates"),
    "consultations.manage": _l("Run public consultations: drafts and their documents, comment "
                               "moderation, answers and summaries"),
    "tour.edit": _l("Edit the sights of the virtual tour page: write, publish, delete them"),
    "services.operate": _l("Handle service applications and appointments: the operators' queue"),
    "services.edit": _l("Edit the catalogue of services, their application forms and the "
                        "departments' calendars"),
    "moderation.manage": _l("Moderate public contributions"),
    "personal_data.export": _l("Export personal data (signers, letter writers)"),
    "subscriptions.broadcast": _l("See subscriber counts per topic and send announcements to "
                                  "subscribers"),
    "outbox.manage": _l("See outgoing e-mail and SMS, approve SMS over the budget, retry failures"),
    "platform.manage": _l("Add municipalities and appoint their admins"),
}

_EVERY_TENANT_PERMISSION = frozenset(p for p in PERMISSIONS if not p.startswith("platform."))

#: Roles a municipality can give, in display order, with their permissions.
ROLES: dict[str, frozenset[str]] = {
    "admin": _EVERY_TENANT_PERMISSION,
    "editor": frozenset({"admin.view", "news.edit", "pages.edit", "documents.edit", "projects.edit",
                         "tour.edit", "subscriptions.broadcast", "surveys.manage", "consultations.manage"}),
    "clerk": frozenset(
        {"admin.view", "sessions.edit", "petitions.clerk", "letters.chair", "personal_data.export"}
    ),
    "mayors_office": frozenset({"admin.view", "letters.mayor", "personal_data.export",
                                "satisfaction.view"}),
    "grants": frozenset({"admin.view", "grants.manage", "grants.score"}),
    "grants_committee": frozenset({"admin.view", "grants.score"}),
    "operator": frozenset({"admin.view", "services.operate"}),
    "services_editor": frozenset({"admin.view", "services.edit", "services.operate"}),
    "moderator": frozenset({"admin.view", "moderation.manage", "petitions.moderate", "consultations.manage"}),
}

ROLE_LABELS: dict[str, object] = {
    "admin": _l("Administrator"),
    "editor": _l("Editor"),
    "clerk": _l("Sakrebulo clerk"),
    "mayors_office": _l("Mayor's office"),
    "grants": _l("Grants committee"),
    "grants_committee": _l("Grants committee member"),
    "operator": _l("Service operator"),
    "services_editor": _l("Services catalogue editor"),
    "moderator": _l("Moderator"),
}

#: URL path segments that mark a staff route.
STAFF_SEGMENTS = frozenset({"admin", "platform"})


def is_staff_rule(rule: str) -> bool:
    """A route for staff: any path with an ``admin`` or ``platform`` segment."""
    return bool(STAFF_SEGMENTS & set(rule.strip("/").split("/")))


def roles_in_current_tenant(user) -> frozenset[str]:
    """The roles ``user`` holds in the current municipality (cached for the request)."""
    from portal.tenancy import get_current_tenant

    tenant = get_current_tenant()
    if tenant is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = g.setdefault("_roles", {})
    key = (user.id, tenant.id)
    if key not in cache:
        from portal.blueprints.accounts.queries import roles_of

        cache[key] = frozenset(roles_of(user.id, tenant.id))
    return cache[key]


def permissions_of(user) -> frozenset[str]:
    perms: set[str] = set()
    for role in roles_in_current_tenant(user):
        perms |= ROLES.get(role, frozenset())
    if getattr(user, "is_platform_admin", False):
        perms |= {p for p in PERMISSIONS if p.startswith("platform.")}
    return frozenset(perms)


def can(permission: str, user=None) -> bool:
    user = user if user is not None else current_user
    return permission in permissions_of(user)


def requires(permission: str) -> Callable:
    """Declare and enforce the permission a staff route needs."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            refused = refuse_unless_allowed(permission)
            if refused is not None:
                return refused
            g.audit_expected = request.method not in ("GET", "HEAD", "OPTIONS")
            response = current_app.make_response(view(*args, **kwargs))
            _check_audited(response)
            return response

        guarded.required_permission = permission
        return guarded

    return decorate


def allowed(permission: str) -> bool:
    """Whether the visitor is signed-in staff holding ``permission`` here."""
    return current_user.is_authenticated and current_user.is_staff and can(permission)


def refuse_unless_allowed(permission: str):
    """None for a permitted visitor; else a 303 to sign-in (not signed-in staff) or a 403.
    Reads neither the body nor the form: it runs before anything else does (see below)."""
    if not current_user.is_authenticated or not current_user.is_staff:
        return redirect(url_for(_sign_in_endpoint(), next=return_path()), code=303)
    if not can(permission):
        abort(403)
    return None


def _sign_in_endpoint() -> str:
    from portal.tenancy import get_current_tenant

    return "accounts.sign_in" if get_current_tenant() else "platform_accounts.sign_in"


def _check_audited(response) -> None:
    # A staff route that changed something must have written an audit row (see services.audit).
    if g.get("audit_expected") and response.status_code < 400 and not g.get("audit_written"):
        message = f"{request.endpoint} changed something without an audit row"
        if current_app.config.get("TESTING") or current_app.debug:
            raise AssertionError(message)
        current_app.logger.error(message)


def declared_permission(view: Callable) -> str | None:
    return getattr(view, "required_permission", None)


def enforce_declarations(app: Flask) -> None:
    """Refuse, at run time too, a staff route that declares no permission; offer ``can`` to
    templates."""
    app.jinja_env.globals["can"] = can

    def refuse_before_the_body():
        # The CSRF check and the input guard parse the form, reading the body (up to 16 MB,
        # and a refused upload up to 128 MB is read to its end, web/uploads.py): a stranger's
        # POST to a staff route is answered first, without reading a byte of it. The view's
        # @requires checks again, for every method.
        if request.method in READ_ONLY_METHODS:
            return None
        permission = declared_permission(app.view_functions.get(request.endpoint))
        return refuse_unless_allowed(permission) if permission else None

    app.before_request_funcs.setdefault(None, []).insert(0, refuse_before_the_body)

    @app.before_request
    def refuse_undeclared():
        rule = request.url_rule
        if rule is None or not is_staff_rule(rule.rule):
            return
        view = app.view_functions.get(request.endpoint)
        if declared_permission(view) is None:
            abort(403)
