"""gunicorn's settings for production: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

Threaded workers (``gthread``): a request spends much of its time waiting for PostgreSQL
(about half of a worker's time while a crowd signs a petition, docs/performance.md), and a
thread can use that wait where a ``sync`` worker cannot; kept-alive connections also spare a
visitor's next request the connection set-up. The petition surge bench measures both classes
side by side (``bench/petition_surge.py --worker-class sync``) and uses these values by
default. The portal is thread-safe: per-process caches take locks, each thread has its own
database session and connection (the pool holds 5, plus 10 overflow, per process).

Not in the current directory on purpose: gunicorn reads ``./gunicorn.conf.py`` by itself, and
the test servers (tests/e2e/server.py, tests/live.py) run ``gunicorn wsgi:app`` from the
project's root with gunicorn's defaults.

Environment: ``PORTAL_BIND`` (default ``127.0.0.1:8000``, behind nginx), ``WEB_CONCURRENCY``
(worker processes; default one per CPU), ``PORTAL_THREADS`` (threads per worker; default 4).
"""

import os

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
worker_class = "gthread"
threads = int(os.environ.get("PORTAL_THREADS") or 4)
#: Seconds an idle kept-alive connection from nginx stays open.
keepalive = 5
#: A request running longer than this has its worker restarted (statements stop at 30 s).
timeout = 60
graceful_timeout = 30
