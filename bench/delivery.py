"""Delivery benchmark: enqueue e-mails and SMS, drain them with a real worker process through
local SMTP and SMS servers, and check nothing was lost or sent twice.

    .venv/bin/python bench/delivery.py            # 100,000 e-mails + 20,000 SMS
    .venv/bin/python bench/delivery.py --quick    # 1,000 + 200, under 30 s
    .venv/bin/python bench/delivery.py --broadcast 100000   # one staff broadcast instead

With ``--broadcast N`` the messages come from one broadcast to N confirmed subscribers. The
fan-out runs here first, through the job runner exactly as the worker runs ``send_notice``
(one batch of ``delivery.BATCH`` subscribers after the keyset cursor per run, one commit
each), under tracemalloc and with the peak RSS reset, so its memory is measured alone
(``fanout_*`` figures: it must not grow with N); then the worker delivers, and each
subscriber must receive exactly one message.

Uses a fresh SQLite database in a temporary folder (or ``--database-url`` for PostgreSQL, which
is emptied first) and the embedded queue (or Redis when REDIS_URL is set). Prints its figures
last as ``key=value`` lines.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from tests.servers import SmsServer, SmtpServer  # noqa: E402

CHUNK = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 e-mails and 200 SMS")
    parser.add_argument("--emails", type=int)
    parser.add_argument("--sms", type=int)
    parser.add_argument("--workers", type=int, default=2, help="worker threads")
    parser.add_argument("--database-url", help="PostgreSQL URL (emptied first)")
    parser.add_argument("--broadcast", type=int, metavar="N",
                        help="send one broadcast to N subscribers instead")
    args = parser.parse_args()
    emails = args.emails if args.emails is not None else (1_000 if args.quick else 100_000)
    sms_count = args.sms if args.sms is not None else (200 if args.quick else 20_000)
    if args.broadcast:
        emails, sms_count = args.broadcast, 0

    workdir = Path(tempfile.mkdtemp(prefix="bench-delivery-"))
    database_url = args.database_url or f"sqlite:///{workdir}/portal.db"
    if args.database_url:
        _reset_postgres(args.database_url)
    os.environ.update({"PORTAL_ENV": "testing", "DATABASE_URL": database_url,
                       "PORTAL_INSTANCE_PATH": str(workdir)})

    with SmtpServer(keep=False) as smtp, SmsServer() as sms:
        env = {**os.environ, "MAIL_URL": smtp.url, "MAIL_FROM": "bench@example.ge",
               "SMS_API_URL": sms.url, "SMS_API_KEY": "test-key", "OUTBOX_BATCH_SIZE": "200"}
        os.environ.update({k: v for k, v in env.items() if k.startswith(("MAIL_", "SMS_"))})
        fanout: dict[str, str] = {}
        if args.broadcast:
            app, expected_ids, references, enqueue_s, fanout = _broadcast(args.broadcast)
        else:
            app, expected_ids, references, enqueue_s = _enqueue(emails, sms_count)
        total = emails + sms_count
        started = time.monotonic()
        worker = _start_worker(env, args.workers, workdir / "worker.log")
        rss_samples = []
        try:
            while True:
                time.sleep(0.5)
                rss_samples.append(_rss_mb(worker.pid, "VmRSS"))
                if _open_messages(app) == 0 and _notices_sent(app):
                    break
                if worker.poll() is not None:
                    raise SystemExit(f"worker died; see {workdir / 'worker.log'}")
            elapsed = time.monotonic() - started
            peak = _rss_mb(worker.pid, "VmHWM")
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(30)
        duplicates = sum(n - 1 for n in smtp.message_ids.values() if n > 1)
        duplicates += sum(n - 1 for n in sms.submissions.values() if n > 1)
        lost = len(expected_ids - set(smtp.message_ids)) + len(references - set(sms.by_reference))

    early = rss_samples[len(rss_samples) // 4] if rss_samples else 0.0
    print(f"database={'postgresql' if args.database_url else 'sqlite'}"
          f" queue={'redis' if os.environ.get('REDIS_URL') else 'sqlite'}"
          f" worker_threads={args.workers}")
    print(f"broadcast={1 if args.broadcast else 0}")
    print(f"emails={emails}")
    print(f"sms={sms_count}")
    print(f"enqueue_per_s={total / enqueue_s:.0f}")
    print(f"drain_seconds={elapsed:.1f}")
    print(f"rss_at_quarter_mb={early:.1f}")
    print(f"messages_per_s={total / elapsed:.0f}")
    print(f"peak_rss_mb={peak:.1f}")
    for key, value in fanout.items():
        print(f"{key}={value}")
    print(f"duplicates={duplicates}")
    print(f"lost={lost}")


def _enqueue(emails: int, sms_count: int):
    from portal.extensions import db
    from portal.services.mail import message_id
    from portal.services.outbox import queue_email, queue_sms
    from portal.tenancy import tenant_context

    app, tenants = _app()
    expected, references = set(), set()
    started = time.monotonic()
    with app.app_context():
        for channel, count in (("email", emails), ("sms", sms_count)):
            for start in range(0, count, CHUNK):
                tenant = tenants[(start // CHUNK) % len(tenants)]
                with tenant_context(tenant):
                    for n in range(start, min(count, start + CHUNK)):
                        key = f"bench-{channel}-{n}"
                        if channel == "email":
                            queue_email(to=f"citizen{n}@example.ge", template="notice",
                                        locale="ka", idempotency_key=key,
                                        context={"title": "საკრებულოს სხდომა",
                                                 "lines": [f"შეტყობინება ნომერი {n}"]})
                            expected.add(message_id(tenant.slug, key, "example.ge"))
                        else:
                            queue_sms(to=f"555{n:06d}", text=f"სხდომა ხვალ, {n}",
                                      idempotency_key=key)
                            references.add(key)
                    db.session.commit()
                    db.session.expunge_all()
    return app, expected, references, time.monotonic() - started


def _app():
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db
    from portal.tenancy.directory import get_directory
    from portal.tenancy.loader import load_tenants

    app = create_app()
    with app.app_context():
        upgrade()
        load_tenants(PROJECT_ROOT / "tenants")
        db.session.commit()
        tenants = get_directory(app).active()
    return app, tenants


def _broadcast(count: int):
    """``count`` confirmed subscribers of Poti's emergency topic (bulk inserts), one
    broadcast to them, and its fan-out measured (``_fan_out``)."""
    from sqlalchemy import insert, literal, select

    from portal.blueprints.subscriptions.delivery import add_notice
    from portal.blueprints.subscriptions.models import Subscriber, Subscription
    from portal.blueprints.subscriptions.topics import EMERGENCY, get_topic, in_every_language
    from portal.db import utcnow
    from portal.extensions import db
    from portal.services.mail import message_id
    from portal.tenancy import tenant_context

    app, tenants = _app()
    tenant = next(t for t in tenants if t.slug == "poti")
    started = time.monotonic()
    with app.app_context(), tenant_context(tenant):
        now = utcnow()
        for start in range(0, count, CHUNK * 10):
            rows = [{"tenant_id": tenant.id, "channel": "email", "address": f"sub{n}@example.ge",
                     "locale": "ka", "frequency": "immediate", "link_nonce": f"{n:016x}",
                     "created_at": now, "confirmed_at": now}
                    for n in range(start, min(count, start + CHUNK * 10))]
            db.session.execute(insert(Subscriber), rows)
        db.session.execute(insert(Subscription).from_select(
            ["tenant_id", "subscriber_id", "topic", "object_id"],
            select(Subscriber.tenant_id, Subscriber.id, literal(EMERGENCY), literal(0))))
        notice_id = add_notice(get_topic(EMERGENCY), item="bench", kind="broadcast",
                               subject=in_every_language("წყალი შეწყდება"),
                               lines={"ka": ["ხვალ წყალი არ იქნება."], "en": ["No water."]})
        db.session.commit()  # queues the first send_notice job (found done by the worker)
    fanout = _fan_out(app, tenant, notice_id)
    # At once too, on a comment line: a delivery cut short still leaves the fan-out's figures.
    print("# " + " ".join(f"{k}={v}" for k, v in fanout.items()), flush=True)
    with app.app_context(), tenant_context(tenant):
        expected = {message_id(tenant.slug, f"subscriptions:{notice_id}:{i}", "example.ge")
                    for i in db.session.scalars(select(Subscriber.id).execution_options(
                        yield_per=CHUNK * 10))}
        db.session.rollback()
    return app, expected, set(), time.monotonic() - started, fanout


def _fan_out(app, tenant, notice_id: int) -> dict[str, str]:
    """Run ``send_notice`` as the worker does until the notice is sent; its peak memory
    (tracemalloc: Python objects allocated meanwhile; VmHWM reset first: the process's
    resident peak), its batches and the most subscribers one run queued."""
    import tracemalloc

    from portal.blueprints.subscriptions import tasks  # noqa: F401 - registers the jobs
    from portal.blueprints.subscriptions.delivery import BATCH
    from portal.blueprints.subscriptions.models import Notice
    from portal.extensions import db
    from portal.jobs import REGISTRY
    from portal.jobs.runner import run_job
    from portal.tenancy import tenant_context

    rss_before = _reset_peak_rss()
    tracemalloc.start()
    started = time.monotonic()
    runs, largest, queued = 0, 0, 0
    while True:
        run_job(app, REGISTRY["send_notice"], tenant.id, {"notice_id": notice_id},
                task_id=f"bench-fanout-{runs}")
        runs += 1
        with app.app_context(), tenant_context(tenant):
            notice = db.session.get(Notice, notice_id)
            largest, queued, state = max(largest, notice.queued - queued), notice.queued, notice.state
            db.session.rollback()
        if state == "sent":
            break
    seconds = time.monotonic() - started
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"fanout_batch_size": str(BATCH), "fanout_runs": str(runs),
            "fanout_max_queued_per_run": str(largest), "fanout_queued": str(queued),
            "fanout_seconds": f"{seconds:.1f}",
            "fanout_peak_traced_mb": f"{traced_peak / 2**20:.1f}",
            "fanout_rss_before_mb": f"{rss_before:.1f}",
            "fanout_peak_rss_mb": f"{_rss_mb(os.getpid(), 'VmHWM'):.1f}"}


def _reset_peak_rss() -> float:
    """Reset this process's VmHWM to its current RSS (Linux: clear_refs 5); the RSS then."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return _rss_mb(os.getpid(), "VmRSS")


def _notices_sent(app) -> bool:
    from sqlalchemy import func, select

    from portal.blueprints.subscriptions.models import Notice
    from portal.extensions import db
    from portal.tenancy import all_tenants

    with app.app_context(), all_tenants():
        open_notices = db.session.scalar(select(func.count()).where(Notice.state != "sent"))
        db.session.rollback()
    return open_notices == 0


def _open_messages(app) -> int:
    from sqlalchemy import func, select

    from portal.delivery.models import OutboxMessage
    from portal.extensions import db
    from portal.tenancy import all_tenants

    with app.app_context(), all_tenants():
        count = db.session.execute(select(func.count()).where(
            OutboxMessage.status.in_(("pending", "sending")))).scalar_one()
        db.session.rollback()
    return count


def _start_worker(env: dict, workers: int, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi.py", "jobs", "worker", "--workers",
             str(workers), "--no-periodic"],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _rss_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


if __name__ == "__main__":
    main()
