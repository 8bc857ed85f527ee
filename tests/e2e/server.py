"""A real portal for the browser tests: gunicorn on a free local port, own instance and SQLite.

The server runs as a separate process, exactly as in production, so the browser sees the real
headers (CSP, cookies), the real static files and several workers sharing one database.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class LiveServer:
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(instance: Path, extra: dict[str, str] | None = None,
               base_domain: str = "127.0.0.1") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "REDIS_URL"}}
    env.update(
        PORTAL_ENV="testing",
        # The shared host, as production requires: links in e-mail point here.
        PORTAL_BASE_DOMAIN=base_domain,
        PORTAL_INSTANCE_PATH=str(instance),
        DATABASE_URL=f"sqlite:///{instance}/e2e.db",
        FLASK_APP="wsgi.py",
        # Public pages as production serves them: the home page and the page layout cached
        # (portal/web/pagecache.py, portal/web/shell.py); these tests only read.
        PORTAL_PAGE_CACHE_SECONDS="10",
    )
    env.update(extra or {})
    return env


def prepare_database(env: dict[str, str]) -> None:
    """Migrate and load the demo content, as `make run` does."""
    for args in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(
            [str(BIN / "flask"), *args], cwd=PROJECT_ROOT, env=env, check=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the live server did not answer {url}/healthz within {timeout:.0f} s")


def start(instance: Path, log_path: Path, extra_env: dict[str, str] | None = None,
          prepared: Path | None = None) -> tuple[LiveServer, subprocess.Popen]:
    """gunicorn with two workers; ``extra_env`` adds to (or overrides) ``server_env``;
    ``prepared``: a database file to copy instead of migrating and loading the demo."""
    server = LiveServer("127.0.0.1", free_port())
    env = server_env(instance, extra_env, f"{server.host}:{server.port}")
    if prepared is None:
        prepare_database(env)
    else:
        shutil.copyfile(prepared, instance / "e2e.db")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", "2", "-b", f"{server.host}:{server.port}", "wsgi:app"],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(server.url, process)
    except Exception:
        stop(process)
        raise
    return server, process


def server_errors(log_path: Path) -> list[str]:
    """Tracebacks the server logged: a page can look fine in the browser and still fail."""
    text = log_path.read_text(encoding="utf-8", errors="replace")
    return [chunk for chunk in text.split("\n\n") if "Traceback" in chunk]


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
