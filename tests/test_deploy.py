"""deploy/ as it is shipped: the environment file lists every variable the code reads (and
nothing else), nginx's site renders and (where nginx is installed) passes ``nginx -t``, the
client address is trusted from exactly the configured number of proxies, static URLs carry
their content's hash, and the commands the systemd units run exist with those options.
bench/cluster.py runs the whole set-up under load."""

from __future__ import annotations

import ast
import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from deploy.render import MissingValue, placeholders, render, render_file
from tests.conftest import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
ENV_FILE = DEPLOY / "portal.env"
NAME = re.compile(r"^[A-Z][A-Z0-9_]{2,}$")
#: Read by libraries, not by our code, and listed for the operator.
LIBRARY_READS = {"GOOGLE_APPLICATION_CREDENTIALS"}


def _code_files() -> list[Path]:
    return [*sorted((PROJECT_ROOT / "portal").rglob("*.py")), PROJECT_ROOT / "wsgi.py",
            DEPLOY / "gunicorn.conf.py"]


def _is_os_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ"
            and isinstance(node.value, ast.Name) and node.value.id == "os")


def _names_of(arg: ast.AST, constants: dict[str, str], built: dict[str, list[ast.AST]]
              ) -> list[str]:
    """The variables a read names: a literal, a module constant, or "PREFIX_<SLUG>" for a name
    built from a prefix and a municipality's slug (directly, in a local variable, or by a
    function that returns it)."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, ast.Name) and arg.id in constants:
        return [constants[arg.id]]
    if isinstance(arg, ast.Attribute) and arg.attr in constants:
        return [constants[arg.attr]]
    if isinstance(arg, ast.Name) and arg.id in built:
        return [n for expr in built[arg.id] for n in _names_of(expr, constants, {})]
    if isinstance(arg, ast.Call):
        func = arg.func.attr if isinstance(arg.func, ast.Attribute) else getattr(arg.func, "id", "")
        return [n for expr in built.get(func, []) for n in _names_of(expr, constants, {})]
    if isinstance(arg, ast.BinOp) and isinstance(arg.left, ast.Constant):
        return [f"{arg.left.value}<SLUG>"]
    if isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
        return [f"{arg.values[0].value}<SLUG>"]
    return []


def variables_read() -> dict[str, set[str]]:
    """Every environment variable the portal's code and gunicorn's settings read: through
    ``os.environ`` (get, [], in) and config.py's helpers (``env = os.environ.get``,
    ``_bool``); names built from a slug count as ``PREFIX_<SLUG>``."""
    tree_of = {path: ast.parse(path.read_text()) for path in _code_files()}
    constants, built = {}, {}
    for tree in tree_of.values():
        for node in ast.walk(tree):
            # name = "PREFIX_" + slug...; def f(tenant): return f"PREFIX_{slug}"
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and isinstance(node.value, (ast.BinOp, ast.JoinedStr))):
                built.setdefault(node.targets[0].id, []).append(node.value)
            if isinstance(node, ast.FunctionDef) and node.name.endswith("_env"):
                returns = [n.value for n in ast.walk(node) if isinstance(n, ast.Return)]
                if len(returns) == 1 and isinstance(returns[0], (ast.BinOp, ast.JoinedStr)):
                    built.setdefault(node.name, []).append(returns[0])
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
                    and node.targets[0].id.endswith("_ENV")):
                constants[node.targets[0].id] = node.value.value
    found: dict[str, set[str]] = {}
    for path, tree in tree_of.items():
        helpers = {"_bool"}
        for node in ast.walk(tree):  # env = os.environ.get
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Attribute)
                    and node.value.attr == "get" and _is_os_environ(node.value.value)):
                helpers.update(t.id for t in node.targets if isinstance(t, ast.Name))
        for node in ast.walk(tree):
            arg = None
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr in {"get", "pop"} \
                        and _is_os_environ(func.value):
                    arg = node.args[0]
                elif isinstance(func, ast.Attribute) and func.attr == "getenv":
                    arg = node.args[0]
                elif isinstance(func, ast.Name) and func.id in helpers:
                    arg = node.args[0]
            elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
                arg = node.slice
            elif isinstance(node, ast.Compare) and any(map(_is_os_environ, node.comparators)):
                arg = node.left
            for name in _names_of(arg, constants, built) if arg is not None else []:
                if NAME.match(name.removesuffix("<SLUG>").rstrip("_") or "-"):
                    found.setdefault(name, set()).add(str(path.relative_to(PROJECT_ROOT)))
    return found


def variables_listed() -> set[str]:
    listed = set()
    for line in ENV_FILE.read_text().splitlines():
        match = re.match(r"^#?([A-Z][A-Z0-9_]*(?:<SLUG>)?)=", line.strip())
        if match:
            listed.add(match.group(1))
    return listed


def test_the_scan_finds_reads_of_every_kind():
    """The scan itself: a literal, config.py's helper, a constant, and a slug-built name."""
    found = variables_read()
    for name in ("SECRET_KEY", "PORTAL_PROXY_COUNT", "PORTAL_HSTS", "MAIL_URL", "WEB_CONCURRENCY",
                 "YOUTUBE_API_KEY", "SMS_API_KEY_<SLUG>", "FACEBOOK_PAGE_TOKEN_<SLUG>",
                 "PORTAL_MAP_TILES"):
        assert name in found, name
    assert not any(name.startswith(("HTTP_", "PATH_INFO")) for name in found)  # WSGI's environ


def test_every_variable_the_code_reads_is_in_the_environment_file():
    missing = {name: sorted(where) for name, where in variables_read().items()
               if name not in variables_listed()}
    assert not missing, f"add these to deploy/portal.env with their defaults: {missing}"


def test_the_environment_file_lists_nothing_nobody_reads():
    stale = variables_listed() - set(variables_read()) - LIBRARY_READS
    assert not stale, f"deploy/portal.env lists variables nothing reads: {sorted(stale)}"


def test_the_environment_file_sets_what_production_requires():
    text = ENV_FILE.read_text()
    for name in ("PORTAL_ENV", "SECRET_KEY", "PORTAL_ENCRYPTION_KEY", "PORTAL_LOOKUP_KEY",
                 "PORTAL_BASE_DOMAIN", "DATABASE_URL", "REDIS_URL"):
        assert re.search(rf"^{name}=", text, re.MULTILINE), name
    assert re.search(r"^PORTAL_PROXY_COUNT=1$", text, re.MULTILINE)  # nginx, one hop


# --- nginx and the templates ----------------------------------------------------------

SITE_VALUES = {"SERVER_NAME": "portal.example.ge", "LISTEN": "127.0.0.1:8080",
               "UPSTREAM_SERVERS": "server 127.0.0.1:8001; server 127.0.0.1:8002;",
               "STATIC_ROOT": str(PROJECT_ROOT / "portal" / "static"),
               "CACHE_DIR": "/tmp/portal-cache", "MICROCACHE_SECONDS": "5"}


def test_render_fills_every_placeholder_and_refuses_a_missing_one():
    assert render("a {{X}} b {{Y}}", {"X": "1", "Y": "2"}) == "a 1 b 2"
    with pytest.raises(MissingValue, match="Y"):
        render("a {{X}} b {{Y}}", {"X": "1"})
    for path in [DEPLOY / "nginx" / "portal.conf", *(DEPLOY / "systemd").iterdir()]:
        text = path.read_text()
        for line in text.splitlines():  # a comment naming a placeholder would be filled too
            if line.lstrip().startswith("#"):
                assert not placeholders(line), f"{path.name}: {line}"
    assert placeholders((DEPLOY / "nginx" / "portal.conf").read_text()) == set(SITE_VALUES)


def test_nginx_site_is_safe_by_construction():
    site = render_file(DEPLOY / "nginx" / "portal.conf", SITE_VALUES)
    # The client's own X-Forwarded-For is replaced, never appended to.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert "$proxy_add_x_forwarded_for" not in site
    # Requests with cookies or credentials neither read nor fill the micro-cache, and only
    # responses that say public are stored; a POST is never retried on another server.
    assert re.search(r"proxy_cache_bypass \$http_cookie \$http_authorization;", site)
    assert re.search(r"proxy_no_cache \$http_cookie \$http_authorization \$portal_not_shared;",
                     site)
    retry = re.search(r"^\s*proxy_next_upstream (.*);", site, re.MULTILINE)
    assert retry and "non_idempotent" not in retry.group(1)
    assert "proxy_cache_methods GET HEAD;" in site
    assert "Set-Cookie" not in site.split("proxy_ignore_headers", 1)[1].split(";", 1)[0]


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
                    reason="nginx is not installed (bench/cluster.py installs it)")
def test_nginx_accepts_the_rendered_site(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    site = tmp_path / "portal.conf"
    site.write_text(render_file(DEPLOY / "nginx" / "portal.conf",
                                {**SITE_VALUES, "CACHE_DIR": str(tmp_path / "cache")}))
    main = tmp_path / "nginx.conf"
    main.write_text(f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
                    f"events {{}}\nhttp {{ include /etc/nginx/mime.types;"
                    f" proxy_temp_path {tmp_path}/proxy; include {site}; }}\n")
    done = subprocess.run([nginx, "-t", "-e", str(tmp_path / "error.log"), "-p", str(tmp_path),
                           "-c", str(main)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# --- the application's side -------------------------------------------------------------

def _remote_addr(monkeypatch, count: str | None, forwarded: str) -> str:
    from portal import create_app

    if count is None:
        monkeypatch.delenv("PORTAL_PROXY_COUNT", raising=False)
    else:
        monkeypatch.setenv("PORTAL_PROXY_COUNT", count)
    app = create_app({"TESTING": True})
    seen = {}

    def capture(environ, start_response):
        seen["addr"] = environ["REMOTE_ADDR"]
        start_response("204 No Content", [])
        return [b""]

    # What the portal's own WSGI app would see behind the middleware the setting installs.
    app.wsgi_app = _innermost_replaced(app.wsgi_app, capture)
    app.test_client().get("/", headers={"X-Forwarded-For": forwarded},
                          environ_base={"REMOTE_ADDR": "127.0.0.1"})
    return seen["addr"]


def _innermost_replaced(wsgi_app, replacement):
    from werkzeug.middleware.proxy_fix import ProxyFix

    if isinstance(wsgi_app, ProxyFix):
        wsgi_app.app = replacement
        return wsgi_app
    return replacement


def test_without_a_proxy_count_forwarded_addresses_are_ignored(monkeypatch):
    assert _remote_addr(monkeypatch, None, "203.0.113.9") == "127.0.0.1"


def test_one_proxy_trusts_exactly_the_address_nginx_wrote(monkeypatch):
    # A client sent "X-Forwarded-For: 198.51.100.1" itself; a proxy that appends would pass
    # "198.51.100.1, <client>": only the last hop, the one nginx saw, counts.
    assert _remote_addr(monkeypatch, "1", "198.51.100.1, 203.0.113.9") == "203.0.113.9"


def test_two_proxies_trust_two_hops_and_no_more(monkeypatch):
    assert _remote_addr(monkeypatch, "2", "198.51.100.1, 203.0.113.9, 10.0.0.2") == "203.0.113.9"


def test_static_urls_carry_the_hash_of_their_content(app):
    from portal.web.templating import asset_url

    path = PROJECT_ROOT / "portal" / "static" / "css" / "portal.css"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    with app.test_request_context("/"):
        assert asset_url("css/portal.css") == f"/static/css/portal.css?v={digest}"


def test_templates_build_static_urls_only_through_asset_url():
    """nginx keeps a URL with ?v= a year (deploy/nginx/portal.conf): a template that wrote a
    bare /static/ path would be served stale for an hour after a release. A font's preload is
    the exception: it must name the very URL the stylesheet's @font-face asks for (bare), or
    the browser fetches the font twice."""
    offenders = [f"{path.relative_to(PROJECT_ROOT)}: {line.strip()}"
                 for path in (PROJECT_ROOT / "portal" / "templates").rglob("*.html")
                 for line in path.read_text().splitlines()
                 if re.search(r"/static/|url_for\(\s*['\"]static['\"]", line)
                 and not ('rel="preload"' in line and 'as="font"' in line)]
    assert not offenders


def test_systemd_units_run_commands_that_exist(app):
    runner = app.test_cli_runner()
    commands = []
    for unit in (DEPLOY / "systemd").glob("*.service"):
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart=") and "/flask " in line:
                commands.append(line.split(" --app wsgi ", 1)[1].split())
            elif line.startswith("ExecStart="):
                assert "gunicorn -c {{APP_DIR}}/deploy/gunicorn.conf.py wsgi:app" in line
    assert len(commands) == 3  # worker, scheduler, backup
    for args in commands:
        options = [a for a in args if a.startswith("--")]
        words = [a for a in args if not a.startswith("-") and not a.startswith("/")
                 and not a.isdigit()]
        result = runner.invoke(args=[*words, "--help"])
        assert result.exit_code == 0, (args, result.output)
        for option in options:
            assert option in result.output, (args, option)


def _nginx_would_store(response) -> bool:
    """deploy/nginx/portal.conf's rule for a response to a request without cookies."""
    directives = {part.strip().split("=")[0].lower()
                  for part in response.headers.get("Cache-Control", "").split(",")}
    return ("public" in directives and not directives & {"private", "no-store", "no-cache"}
            and not response.headers.getlist("Set-Cookie")
            and response.headers.get("Vary", "").strip() != "*")


def test_nothing_nginx_may_store_holds_a_visitors_csrf_token(app, poti):
    """nginx's micro-cache serves a stored response to every visitor without cookies: it must
    not hold one visitor's CSRF token (nor anything else of a session). Every public GET route
    of Poti, as a first visit; at least the petition's count must be storable."""
    from portal.web.caching import is_private_rule
    from tests.factories import Objects

    objects, stored = Objects(app, poti), []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint == "static" or is_private_rule(rule):
            continue
        url = objects.url(rule)
        response = app.test_client().get(url)
        body = response.get_data() if not response.direct_passthrough else b""
        response.close()
        if _nginx_would_store(response):
            stored.append(rule.endpoint)
            assert b"csrf_token" not in body and b"X-CSRFToken" not in body, url
    assert "petitions.count" in stored
