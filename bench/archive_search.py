"""Benchmark of the council archive search and of the sync's YouTube quota.

Builds a synthetic archive (default 5,000 sessions with 1,000,000 Georgian transcript
segments; ``--quick``: 500 and 50,000), then measures the search page through the WSGI app
in-process (Flask's test client: routing, tenancy, the query, the ORM loads and the template)
next to the raw full-text query, filtered (municipality + year inside the index) against
unfiltered, and the quota units of a first sync of a 1,000-video channel and of a rerun.

    .venv/bin/python bench/archive_search.py --quick
    .venv/bin/python bench/archive_search.py
    .venv/bin/python bench/archive_search.py --database-url postgresql://postgres@127.0.0.1:5432/test_sessions

The figures come last, as key=value lines. WARNING: the database given is emptied first.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_ENV", "testing")

SYLLABLES = ("ბა გა და ვა ზა თა კა ლა მა ნა პა რა სა ტა ფა ქა ღა ყა შა ჩა ცა ძა წა ჭა ხა ჯა ჰა "
             "ბე გე დე ვე ლე მე ნე რე სე ტე ბი გი დი ვი ლი მი ნი რი სი ტი ბო გო დო ლო მო ნო "
             "რო სო ტო ბუ გუ დუ ლუ მუ ნუ რუ სუ ტუ").split()
REAL = ("ბიუჯეტი საკრებულო სხდომა კომისია წყალარინება გზა სკოლა ბაღი ტრანსპორტი ავტობუსი "
        "პროექტი განათება სანაპირო ბულვარი ტენდერი დადგენილება მერია პეტიცია მოქალაქე ქალაქი "
        "სოფელი რეაბილიტაცია ინფრასტრუქტურა ჯანდაცვა განათლება კულტურა სპორტი ტურიზმი "
        "პორტი ზღვა ტბა პარკი მოედანი ქუჩა შენობა მშენებლობა ნებართვა გადასახადი ქონება").split()


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words = list(REAL)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def zipf_cumulative(n: int) -> list[float]:
    """Cumulative Zipf weights (precomputed: random.choices would redo it on every call)."""
    total, out = 0.0, []
    for rank in range(n):
        total += 1 / (rank + 1) ** 1.05
        out.append(total)
    return out


def build_archive(app, n_sessions: int, n_segments: int, rng: random.Random) -> dict:
    """Bulk Core inserts (the ORM would take hours at this size), then the real indexer."""
    from sqlalchemy import insert, select

    from portal.blueprints.sessions.models import (
        Body,
        CouncilSession,
        Recording,
        TranscriptSegment,
    )
    from portal.blueprints.sessions.search import reindex_groups
    from portal.extensions import db
    from portal.tenancy import all_tenants, get_directory

    words = vocabulary(6000, rng)
    cumulative = zipf_cumulative(len(words))
    per_session = max(1, n_segments // n_sessions)
    tenants = [get_directory(app).by_slug(s) for s in ("poti", "abasha")]
    start = datetime(2012, 1, 1, 8, tzinfo=UTC)
    with all_tenants():
        conn = db.session.connection()
        body_ids = {}
        for t in tenants:
            for slug, name in (("sakrebulo", "საკრებულო"), ("finance", "ფინანსური კომისია")):
                body_ids[(t.id, slug)] = conn.execute(insert(Body).values(
                    tenant_id=t.id, slug=slug, name_ka=name, name_en="", kind="council",
                    position=0).returning(Body.id)).scalar()
        sessions, recordings = [], []
        for i in range(n_sessions):
            t = tenants[i % 2]
            when = start + timedelta(days=i * 14 * 365 // n_sessions)
            title = "საკრებულოს სხდომა: " + " ".join(rng.choices(words[:300], k=4))
            sessions.append({"tenant_id": t.id, "body_id": body_ids[(t.id, "sakrebulo" if i % 5
                                                                     else "finance")],
                             "title": title, "description": "", "kind": "regular",
                             "status": "held", "place": "დარბაზი", "starts_at": when})
        conn.execute(insert(CouncilSession), sessions)
        rows = conn.execute(select(CouncilSession.id, CouncilSession.tenant_id,
                                   CouncilSession.starts_at).order_by(CouncilSession.id)).all()
        for row in rows:
            recordings.append({"tenant_id": row.tenant_id, "source": "youtube",
                               "external_id": f"bench{row.id}", "url": "", "title": "ჩანაწერი",
                               "description": "", "published_at": row.starts_at,
                               "session_id": row.id, "live_status": "none", "chapters": [],
                               "match_confidence": 1.0, "is_match_confirmed": True,
                               "has_transcript": True, "thumbnail_url": ""})
        conn.execute(insert(Recording), recordings)
        rec_rows = conn.execute(select(Recording.id, Recording.tenant_id)
                                .order_by(Recording.id)).all()
        batch = []
        for rec in rec_rows:
            for k in range(per_session):
                text = " ".join(rng.choices(words, cum_weights=cumulative,
                                               k=rng.randint(7, 14)))
                batch.append({"tenant_id": rec.tenant_id, "recording_id": rec.id,
                              "start_seconds": k * 12.0, "end_seconds": k * 12.0 + 11,
                              "text": text, "speaker": "", "language": "ka",
                              "origin": "captions"})
            if len(batch) >= 50_000:
                conn.execute(insert(TranscriptSegment), batch)
                batch = []
        if batch:
            conn.execute(insert(TranscriptSegment), batch)
        keys = [f"s{row.id}" for row in rows]
        for i in range(0, len(keys), 200):
            reindex_groups(conn, keys[i:i + 200])
        db.session.commit()
        if conn.dialect.name == "postgresql":
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
    return {"words": words, "tenants": tenants,
            "years": sorted({r.starts_at.year for r in rows})}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def queries_for(words: list[str], rng: random.Random, n: int) -> list[str]:
    """A mix: common, middling and rare words, prefixes, two-word queries."""
    out = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            out.append(rng.choice(words[:50]))
        elif kind == 1:
            out.append(rng.choice(words[50:1000]))
        elif kind == 2:
            out.append(rng.choice(words[:2000])[:4])  # a prefix, as typed
        else:
            out.append(" ".join(rng.sample(words[:300], 2)))
    return out


def timed(fn) -> float:
    began = time.perf_counter()
    fn()
    return (time.perf_counter() - began) * 1000


def measure_search(app, data: dict, rng: random.Random, n: int) -> dict:
    from portal.blueprints.sessions.search import (
        ROWS_PER_FETCH,
        SearchQuery,
        backend_for,
        scope_filters,
        search,
    )
    from portal.blueprints.sessions.search.normalise import terms
    from portal.extensions import db

    client = app.test_client()
    poti = data["tenants"][0]
    queries = queries_for(data["words"], rng, n)
    years = data["years"]
    with app.app_context():
        conn = db.session.connection()
        backend = backend_for(conn)
        backend.prepare(conn)  # as search() does

        def raw(q, year=None, tenant=True):
            scope = scope_filters(SearchQuery(tenant_ids=(poti.id,) if tenant else (),
                                              year=year))
            return backend.fetch(conn, scope, terms(q), None, ROWS_PER_FETCH)

        for q in queries[:20]:  # warm caches
            raw(q)
            client.get("/poti/sessions/search", query_string={"q": q})
        endpoint_ms, raw_ms, filtered_ms, unfiltered_ms = [], [], [], []
        fragment_ms, search_ms = [], []
        for i, q in enumerate(queries):
            def page(q=q):
                return client.get("/poti/sessions/search", query_string={"q": q})

            # The endpoint and the raw statement take turns going first, so neither is
            # always the one that reads the query's index pages into SQLite's cache.
            if i % 2:
                raw_ms.append(timed(lambda q=q: raw(q)))
                endpoint_ms.append(timed(page))
            else:
                endpoint_ms.append(timed(page))
                raw_ms.append(timed(lambda q=q: raw(q)))
            fragment_ms.append(timed(lambda q=q: client.get(
                "/poti/sessions/search", query_string={"q": q}, headers={"HX-Request": "true"})))
            search_ms.append(timed(lambda q=q: search(conn, SearchQuery(
                text=q, tenant_ids=(poti.id,)))))
            year = rng.choice(years)
            # Statements of a fraction of a millisecond: each the best of three (one
            # scheduler hiccup would otherwise decide a median).
            unfiltered_ms.append(min(timed(lambda q=q: raw(q, tenant=False)) for _ in range(3)))
            filtered_ms.append(min(timed(lambda q=q, y=year: raw(q, year=y)) for _ in range(3)))
        db.session.rollback()
    return {"endpoint": endpoint_ms, "raw": raw_ms, "filtered": filtered_ms,
            "unfiltered": unfiltered_ms, "fragment": fragment_ms, "search": search_ms}


def measure_quota(app) -> tuple[int, int]:
    import dataclasses

    from portal.blueprints.sessions.sources.sync import Clients, sync_tenant
    from portal.blueprints.sessions.sources.synthetic import SyntheticChannel
    from portal.extensions import db
    from portal.tenancy import get_directory
    from portal.tenancy.registry import Sources

    with app.app_context():
        tenant = get_directory(app).by_slug("abasha")
        tenant = dataclasses.replace(tenant, config=tenant.config.model_copy(
            update={"sources": Sources(youtube_channel_id="UCsyntheticSakrebulo0001")}))
        channel = SyntheticChannel(1000)
        clients = Clients(youtube_service=channel.service(), with_captions=False)
        [first] = sync_tenant(tenant, clients, checkpoint=db.session.commit)
        first_units = first.quota_units
        [again] = sync_tenant(tenant, Clients(youtube_service=channel.service(),
                                              with_captions=False),
                              checkpoint=db.session.commit)
        assert first.created == 1000 and again.created == 0
        return first_units, again.quota_units


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="500 sessions, 50,000 segments")
    parser.add_argument("--database-url", help="PostgreSQL URL (emptied!); default: SQLite")
    parser.add_argument("--sessions", type=int)
    parser.add_argument("--segments", type=int)
    parser.add_argument("--queries", type=int)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    n_sessions = args.sessions or (500 if args.quick else 5000)
    n_segments = args.segments or (50_000 if args.quick else 1_000_000)
    n_queries = args.queries or (60 if args.quick else 200)
    rng = random.Random(args.seed)
    workdir = tempfile.mkdtemp(prefix="archive-bench-")
    url = args.database_url or f"sqlite:///{workdir}/bench.db"
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    os.environ["DATABASE_URL"] = url
    os.environ["PORTAL_INSTANCE_PATH"] = workdir

    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db
    from portal.tenancy.loader import load_tenants

    # Production's caches: the tenant directory, and the page layout kept per municipality
    # and language (portal/web/shell.py; a search's results are never cached).
    app = create_app({"TESTING": True, "PORTAL_TENANT_CACHE_SECONDS": 3600,
                      "PORTAL_PAGE_CACHE_SECONDS": 10})
    began = time.perf_counter()
    with app.app_context():
        upgrade()
        load_tenants(ROOT / "tenants")
        db.session.commit()
        data = build_archive(app, n_sessions, n_segments, rng)
    build_s = time.perf_counter() - began
    results = measure_search(app, data, rng, n_queries)
    quota_first, quota_rerun = measure_quota(app)
    p50, p95 = percentile(results["endpoint"], 50), percentile(results["endpoint"], 95)
    raw_p50, raw_p95 = percentile(results["raw"], 50), percentile(results["raw"], 95)
    filtered_ratio = (statistics.median(results["filtered"])
                      / max(statistics.median(results["unfiltered"]), 1e-6))
    dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
    print(f"# {dialect}: {n_sessions} sessions, {n_segments} segments, {n_queries} queries;"
          f" built in {build_s:.1f} s; endpoint = WSGI app in-process (Flask test client)")
    print(f"# filtered (municipality+year) p50 {statistics.median(results['filtered']):.2f} ms,"
          f" unfiltered p50 {statistics.median(results['unfiltered']):.2f} ms,"
          f" filtered p95 {percentile(results['filtered'], 95):.2f} ms,"
          f" unfiltered p95 {percentile(results['unfiltered'], 95):.2f} ms")
    print(f"# htmx fragment p50 {percentile(results['fragment'], 50):.2f} ms,"
          f" p95 {percentile(results['fragment'], 95):.2f} ms; search() (every index query of"
          f" one page) p50 {percentile(results['search'], 50):.2f} ms,"
          f" p95 {percentile(results['search'], 95):.2f} ms")
    print(f"database={dialect}")
    print(f"sessions={n_sessions}")
    print(f"segments={n_segments}")
    print(f"p50_ms={p50:.2f}")
    print(f"p95_ms={p95:.2f}")
    print(f"raw_p50_ms={raw_p50:.2f}")
    print(f"raw_p95_ms={raw_p95:.2f}")
    print(f"ratio_p95={p95 / max(raw_p95, 1e-6):.2f}")
    print(f"quota_first_sync={quota_first}")
    print(f"quota_rerun={quota_rerun}")
    print(f"filtered_ratio={filtered_ratio:.2f}")


if __name__ == "__main__":
    main()
