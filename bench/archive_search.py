"""Benchmark of the council archive search and of the sync's YouTube quota.

Builds a synthetic archive (default 5,000 sessions with 1,000,000 Georgian transcript
segments in two municipalities over 14 years; ``--quick``: 500 and 50,000), then measures the
search page through the WSGI app in-process (Flask's test client: routing, tenancy, the query,
the ORM loads and the template) next to the raw full-text query, filtered (municipality + year
inside the index) against unfiltered, and the quota units of a first sync of a 1,000-video
channel and of a rerun.

``--http``: the pages through a real server instead (gunicorn on loopback, production
settings), one municipality's search and the every-municipality search (``/search``), each
query kind (single words, prefixes as typed, two words) against its raw statement; the index
build time and size are printed. ``--municipalities``/``--years`` spread the archive (the
country: ``--segments 10000000 --municipalities 64 --years 10``); ``--reuse`` measures an
archive a previous run left in the database given (same seed and sizes).

    .venv/bin/python bench/archive_search.py --quick
    .venv/bin/python bench/archive_search.py
    .venv/bin/python bench/archive_search.py --database-url postgresql://postgres@127.0.0.1:5432/test_sessions
    .venv/bin/python bench/archive_search.py --http --segments 10000000 --municipalities 64 \
        --years 10 --database-url postgresql://postgres@127.0.0.1:5432/test_sessions

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


def municipalities_dir(workdir: str, n: int) -> Path:
    """Poti, Abasha and ``n - 2`` synthetic municipalities (Abasha's file, renamed)."""
    import shutil

    folder = Path(workdir) / "tenants"
    folder.mkdir(exist_ok=True)
    for slug in ("poti", "abasha"):
        shutil.copytree(ROOT / "tenants" / slug, folder / slug, dirs_exist_ok=True)
    source = (ROOT / "tenants" / "abasha" / "tenant.toml").read_text()
    for i in range(3, n + 1):
        slug = f"bench{i:03d}"
        shutil.copytree(ROOT / "tenants" / "abasha" / "static", folder / slug / "static",
                        dirs_exist_ok=True)
        (folder / slug / "tenant.toml").write_text(
            source.replace('slug = "abasha"', f'slug = "{slug}"')
            .replace("აბაშის მუნიციპალიტეტი\"", f"მუნიციპალიტეტი {i}\"", 1)
            .replace('en = "Abasha Municipality"', f'en = "Municipality {i}"', 1)
            .replace('sender = "Abasha"', f'sender = "Bench{i}"'))
    return folder


def tenant_slugs(n: int) -> list[str]:
    return ["poti", "abasha"] + [f"bench{i:03d}" for i in range(3, n + 1)]


def _insert_segments(conn, rows: list[tuple]) -> None:
    """Bulk rows of ``transcript_segments``: COPY on PostgreSQL, executemany on SQLite."""
    from portal.blueprints.sessions.models import TranscriptSegment

    columns = ("tenant_id", "recording_id", "start_seconds", "end_seconds", "text", "speaker",
               "language", "origin")
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {TranscriptSegment.__tablename__} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    from sqlalchemy import insert
    conn.execute(insert(TranscriptSegment), [dict(zip(columns, r, strict=True)) for r in rows])


ENTRY_COLUMNS = ("id", "tenant_id", "group_key", "scope", "title", "body", "stems", "display",
                 "kind", "session_id", "recording_id", "start_s", "speaker")


def session_rows(session, recording, texts: list[str], terms: set) -> list[tuple]:
    """PostgreSQL's index rows of one session with its one recording, as ``build_group`` and
    ``PostgresBackend.replace_group`` write them (``check_entries`` compares a sample)."""
    from portal.blueprints.sessions.search.entries import group_base, scope_tokens
    from portal.blueprints.sessions.search.forms import index_keys
    from portal.blueprints.sessions.search.forms import vocabulary as words_of
    from portal.blueprints.sessions.search.normalise import normalise

    key = f"s{session.id}"
    day = session.starts_at.astimezone(UTC).date() if session.starts_at.tzinfo else (
        session.starts_at.date())
    base = group_base(day, key)
    scope = f"t{session.tenant_id} y{day.year} " + scope_tokens(session.body_id, bool(texts), key)
    items = [("session", session.title or "", session.description or "", None, None),
             ("recording", recording.title or "", recording.description or "", recording.id,
              None)]
    items += [("transcript", "", text, recording.id, k * 12.0) for k, text in enumerate(texts)]
    out = []
    for index, (kind, title, display, recording_id, start) in enumerate(items, 1):
        title, body = normalise(title), normalise(display)
        stems = index_keys(title, body)
        terms.update(words_of(title, body, stems))
        out.append((base + index, session.tenant_id, key, scope, title, body, stems, display,
                    kind, session.id, recording_id, start, ""))
    return out


def _copy_entries(conn, rows: list[tuple]) -> None:
    if not rows:
        return
    with conn.connection.driver_connection.cursor() as cursor, cursor.copy(
            f"COPY search_entries ({', '.join(ENTRY_COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def check_entries(conn, keys: list[str]) -> None:
    """The bulk rows of ``keys`` equal what the real indexer builds from the tables."""
    from sqlalchemy import text

    from portal.blueprints.sessions.search.entries import build_group
    from portal.blueprints.sessions.search.forms import index_keys

    for key in keys:
        expected = [(e.id, e.tenant_id, e.group_key, f"t{e.tenant_id} y{e.year} {e.scope}",
                     e.title, e.body, index_keys(e.title, e.body), e.display, e.kind,
                     e.session_id, e.recording_id, e.start_s, e.speaker)
                    for e in build_group(conn, key)]
        actual = [tuple(r) for r in conn.execute(text(
            f"SELECT {', '.join(ENTRY_COLUMNS)} FROM search_entries WHERE group_key = :g"
            " ORDER BY id"), {"g": key})]
        if actual != expected:
            raise SystemExit(f"bulk index rows of {key} differ from the indexer's:\n"
                             f"{actual[:3]}\n{expected[:3]}")


def build_archive(app, n_sessions: int, n_segments: int, rng: random.Random,
                  n_tenants: int = 2, years: int = 14) -> dict:
    """Bulk inserts (the ORM would take hours at this size; COPY on PostgreSQL), then the real
    indexer. On PostgreSQL the GIN index is dropped while indexing and built after (timed)."""
    from sqlalchemy import insert, select

    from portal.blueprints.sessions.models import (
        Body,
        CouncilSession,
        Recording,
    )
    from portal.blueprints.sessions.search import reindex_groups
    from portal.extensions import db
    from portal.tenancy import all_tenants, get_directory

    words = vocabulary(6000, rng)
    cumulative = zipf_cumulative(len(words))
    per_session = max(1, n_segments // n_sessions)
    tenants = [get_directory(app).by_slug(s) for s in tenant_slugs(n_tenants)]
    start = datetime(2026 - years, 1, 1, 8, tzinfo=UTC)
    figures = {}
    with all_tenants():
        conn = db.session.connection()
        postgres = conn.dialect.name == "postgresql"
        body_ids = {}
        for t in tenants:
            for slug, name in (("sakrebulo", "საკრებულო"), ("finance", "ფინანსური კომისია")):
                body_ids[(t.id, slug)] = conn.execute(insert(Body).values(
                    tenant_id=t.id, slug=slug, name_ka=name, name_en="", kind="council",
                    position=0).returning(Body.id)).scalar()
        sessions, recordings = [], []
        for i in range(n_sessions):
            t = tenants[i % len(tenants)]
            when = start + timedelta(days=i * years * 365 // n_sessions)
            title = "საკრებულოს სხდომა: " + " ".join(rng.choices(words[:300], k=4))
            sessions.append({"tenant_id": t.id, "body_id": body_ids[(t.id, "sakrebulo" if i % 5
                                                                     else "finance")],
                             "title": title, "description": "", "kind": "regular",
                             "status": "held", "place": "დარბაზი", "starts_at": when})
        for i in range(0, len(sessions), 10_000):
            conn.execute(insert(CouncilSession), sessions[i:i + 10_000])
        rows = conn.execute(select(CouncilSession.id, CouncilSession.tenant_id,
                                   CouncilSession.starts_at, CouncilSession.body_id,
                                   CouncilSession.title, CouncilSession.description)
                            .order_by(CouncilSession.id)).all()
        for row in rows:
            recordings.append({"tenant_id": row.tenant_id, "source": "youtube",
                               "external_id": f"bench{row.id}", "url": "", "title": "ჩანაწერი",
                               "description": "", "published_at": row.starts_at,
                               "session_id": row.id, "live_status": "none", "chapters": [],
                               "match_confidence": 1.0, "is_match_confirmed": True,
                               "has_transcript": True, "thumbnail_url": ""})
        for i in range(0, len(recordings), 10_000):
            conn.execute(insert(Recording), recordings[i:i + 10_000])
        rec_rows = conn.execute(select(Recording.id, Recording.tenant_id, Recording.session_id,
                                       Recording.title, Recording.description)
                                .order_by(Recording.id)).all()
        session_of = {row.id: row for row in rows}
        began = time.perf_counter()
        batch, entries, terms = [], [], set()
        choices, randint = rng.choices, rng.randint
        if postgres:
            db.session.commit()
            conn = db.session.connection()
            conn.execute(db.text("DROP INDEX IF EXISTS search_entries_tsv"))
        for n, rec in enumerate(rec_rows):
            texts = []
            for k in range(per_session):
                text = " ".join(choices(words, cum_weights=cumulative, k=randint(7, 14)))
                texts.append(text)
                batch.append((rec.tenant_id, rec.id, k * 12.0, k * 12.0 + 11, text, "", "ka",
                              "captions"))
            if postgres:
                entries += session_rows(session_of[rec.session_id], rec, texts, terms)
            if len(batch) >= 100_000:
                _insert_segments(conn, batch)
                _copy_entries(conn, entries)
                batch, entries = [], []
                if postgres:
                    db.session.commit()  # no transaction of millions of rows
                    conn = db.session.connection()
                    print(f"# {n} of {len(rec_rows)} sessions,"
                          f" {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
        if batch:
            _insert_segments(conn, batch)
            _copy_entries(conn, entries)
        figures["segments_s"] = time.perf_counter() - began
        began = time.perf_counter()
        keys = [f"s{row.id}" for row in rows]
        if postgres:
            # Written above in bulk (COPY) as the indexer writes them; checked against the
            # real indexer on a sample of groups, and the vocabulary written once.
            conn.execute(db.text("INSERT INTO search_terms (term) SELECT unnest(CAST(:w AS"
                                 " text[])) ON CONFLICT DO NOTHING"), {"w": sorted(terms)})
            check_entries(conn, keys[:5] + keys[-5:] + rng.sample(keys, min(20, len(keys))))
        else:
            for i in range(0, len(keys), 200):
                reindex_groups(conn, keys[i:i + 200])
        db.session.commit()
        figures["entries_s"] = time.perf_counter() - began
        if postgres:
            began = time.perf_counter()
            db.session.execute(db.text("SET maintenance_work_mem = '512MB'"))
            db.session.execute(db.text("SET statement_timeout = 0"))  # the app's is seconds
            db.session.execute(db.text(
                "CREATE INDEX search_entries_tsv ON search_entries USING gin (tsv)"))
            db.session.commit()
            figures["gin_s"] = time.perf_counter() - began
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
    return {"words": words, "tenants": tenants,
            "years": sorted({r.starts_at.year for r in rows}), "build": figures}


def index_size_mb(app) -> dict:
    """The search index's size: SQLite's FTS5 shadow tables and vocabulary (dbstat), or
    PostgreSQL's search tables with their indexes, and the GIN index alone."""
    from portal.extensions import db

    with app.app_context():
        conn = db.session.connection()
        if conn.dialect.name == "postgresql":
            total, gin = conn.execute(db.text(
                "SELECT sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relkind = 'r'),"
                " sum(pg_relation_size(c.oid)) FILTER (WHERE c.relkind = 'i'"
                "  AND c.relname LIKE '%tsv%')"
                " FROM pg_class c WHERE c.relname LIKE 'search_entries%'"
                " AND c.relkind IN ('r', 'i')")).one()
            terms = conn.execute(db.text(
                "SELECT pg_total_relation_size('search_terms')")).scalar()
            out = {"index_mb": (int(total or 0) + terms) / 2**20,
                   "gin_mb": int(gin or 0) / 2**20}
        else:
            try:
                size = conn.execute(db.text(
                    "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_%'")).scalar()
            except Exception:  # noqa: BLE001 - dbstat is optional in SQLite builds
                size = None
            out = {"index_mb": (size or 0) / 2**20}
        db.session.rollback()
        return out


def archive_facts(app, n_tenants: int) -> dict:
    """What ``--reuse`` needs of an archive a previous run built."""
    from portal.extensions import db
    from portal.tenancy import get_directory

    with app.app_context():
        # The directory first: it reads in a transaction of its own (SQLite: one writer).
        tenants = [get_directory(app).by_slug(s) for s in tenant_slugs(n_tenants)]
        years = db.session.execute(db.text(
            "SELECT DISTINCT starts_at FROM council_sessions")).scalars().all()
        db.session.rollback()
        return {"tenants": tenants, "build": {},
                "years": sorted({y.year if hasattr(y, "year") else int(str(y)[:4])
                                 for y in years})}


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
            # A word beginning as typed: 4 to 7 letters (SQLite answers up to 4 from its
            # prefix index, longer ones from the known words; docs/performance.md).
            out.append(rng.choice(words[:2000])[:rng.randint(4, 7)])
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
        known_words,
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

        def raw(q, year=None, tenant=True, expanded=True):
            scope = scope_filters(SearchQuery(tenant_ids=(poti.id,) if tenant else (),
                                              year=year))
            words = known_words(conn, terms(q)) if expanded else terms(q)
            return backend.fetch(conn, scope, words, None, ROWS_PER_FETCH)

        for q in queries[:20]:  # warm caches
            raw(q)
            client.get("/poti/sessions/search", query_string={"q": q})
        endpoint_ms, raw_ms, filtered_ms, unfiltered_ms = [], [], [], []
        fragment_ms, search_ms, prefix_raw, prefix_plain = [], [], [], []
        for i, q in enumerate(queries):
            if i % 4 == 2:  # a prefix as typed: the known words against the plain beginning
                steps = [(prefix_raw, lambda q=q: raw(q)),
                         (prefix_plain, lambda q=q: raw(q, expanded=False))]
                for into, step in steps[::(-1 if i % 8 == 2 else 1)]:
                    into.append(min(timed(step) for _ in range(3)))
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
        # The worst case of typing: 5 to 7 letters of the commonest words (a beginning that
        # begins few words, each with a long doclist), the plain beginning against its words.
        long_plain, long_known = [], []
        common = [w for w in data["words"][:80] if len(w) > 5][:30]
        for i, word in enumerate(common):
            q = word[:5 + i % 3]
            long_known.append(min(timed(lambda q=q: raw(q)) for _ in range(3)))
            long_plain.append(min(timed(lambda q=q: raw(q, expanded=False)) for _ in range(3)))
        db.session.rollback()
    return {"endpoint": endpoint_ms, "raw": raw_ms, "filtered": filtered_ms,
            "long_plain": long_plain, "long_known": long_known,
            "unfiltered": unfiltered_ms, "fragment": fragment_ms, "search": search_ms,
            "prefix_raw": prefix_raw, "prefix_plain": prefix_plain}


KINDS = ("word", "word", "prefix", "two_words")  # queries_for's order: i % 4


def measure_http(app, url: str, data: dict, rng: random.Random, n: int) -> dict:
    """Each query through gunicorn (2 sync workers on loopback, production settings, a new
    connection a request): one municipality's page and the every-municipality page
    (``/search``), each next to its raw statement in this process; prefixes also as the
    plain beginning (before the known words)."""
    import http.client
    from urllib.parse import quote

    from harness import gunicorn, portal_environment

    from portal.blueprints.sessions.search import (
        ROWS_PER_FETCH,
        SearchQuery,
        backend_for,
        known_words,
        scope_filters,
    )
    from portal.blueprints.sessions.search.normalise import terms
    from portal.extensions import db

    poti = data["tenants"][0]
    every = tuple(t.id for t in data["tenants"])
    queries = queries_for(data["words"], rng, n)
    out: dict[str, list[float]] = {}

    def add(key, value):
        out.setdefault(key, []).append(value)

    with portal_environment(url) as env, gunicorn([env], 2, "sync", 1) as servers:
        servers.wait_until_up()
        host, port = servers.urls[0].removeprefix("http://").split(":")

        def get(path):
            conn = http.client.HTTPConnection(host, int(port), timeout=60)
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
            finally:
                conn.close()

        with app.app_context():
            conn = db.session.connection()
            backend = backend_for(conn)
            backend.prepare(conn)

            def raw(q, tenants, expanded=True):
                words = terms(q)
                scope = scope_filters(SearchQuery(tenant_ids=tenants))
                found = known_words(conn, words) if expanded else words
                return backend.fetch(conn, scope, found, None, ROWS_PER_FETCH)

            pages = {"local": ("/poti/sessions/search?q=", (poti.id,)),
                     "every": ("/search?q=", every)}
            for q in queries[:8]:  # warm both workers and the caches
                for path, tenants in pages.values():
                    get(path + quote(q))
                    get(path + quote(q))
                    raw(q, tenants)
            for i, q in enumerate(queries):
                kind = KINDS[i % 4]
                for where, (path, tenants) in pages.items():
                    steps = [(f"{where}_http", lambda p=path, q=q: get(p + quote(q))),
                             (f"{where}_raw", lambda q=q, t=tenants: raw(q, t))]
                    if kind == "prefix":
                        steps.append((f"{where}_raw_plain",
                                      lambda q=q, t=tenants: raw(q, t, expanded=False)))
                    if i % 2:
                        steps.reverse()
                    for key, step in steps:
                        ms = timed(step)
                        add(key, ms)
                        add(f"{key}_{kind}", ms)
            db.session.rollback()
    return out


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
    parser.add_argument("--sessions", type=int, help="default: a session per 200 segments")
    parser.add_argument("--segments", type=int)
    parser.add_argument("--municipalities", type=int, default=2,
                        help="Poti, Abasha and synthetic ones (default 2)")
    parser.add_argument("--years", type=int, default=14, help="years the sessions span")
    parser.add_argument("--queries", type=int)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--http", action="store_true",
                        help="through gunicorn: one municipality and every municipality")
    parser.add_argument("--build-only", action="store_true",
                        help="build the archive and print its figures, measure nothing")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the archive a previous run left (same sizes and seed)")
    args = parser.parse_args()
    n_segments = args.segments or (50_000 if args.quick else 1_000_000)
    n_sessions = args.sessions or (500 if args.quick else max(1, n_segments // 200))
    n_queries = args.queries or (60 if args.quick else 200)
    rng = random.Random(args.seed)
    workdir = tempfile.mkdtemp(prefix="archive-bench-")
    url = args.database_url or f"sqlite:///{workdir}/bench.db"
    if args.reuse and not args.database_url:
        parser.error("--reuse needs --database-url")
    if url.startswith("postgresql") and not args.reuse:
        from sqlalchemy import create_engine, text

        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    os.environ["DATABASE_URL"] = url
    os.environ["PORTAL_INSTANCE_PATH"] = workdir
    sys.path.insert(0, str(ROOT / "bench"))

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
        if args.reuse:
            data = archive_facts(app, args.municipalities) | {
                "words": vocabulary(6000, rng)}
        else:
            upgrade()
            load_tenants(municipalities_dir(workdir, args.municipalities))
            db.session.commit()
            data = build_archive(app, n_sessions, n_segments, rng, args.municipalities,
                                 args.years)
    build_s = time.perf_counter() - began
    size = index_size_mb(app)
    rng = random.Random(args.seed + 1)  # the queries: the same with --reuse
    dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
    head = (f"# {dialect}: {n_sessions} sessions, {n_segments} segments,"
            f" {args.municipalities} municipalities, {args.years} years, {n_queries} queries;"
            f" built in {build_s:.1f} s")
    build = data["build"]
    figures = {"database": dialect, "sessions": n_sessions, "segments": n_segments,
               "municipalities": args.municipalities}
    if build:
        figures |= {"build_s": build_s, "segments_insert_s": build["segments_s"],
                    "index_entries_s": build["entries_s"]}
        if "gin_s" in build:
            figures["gin_build_s"] = build["gin_s"]
    figures |= size
    if args.build_only:
        print(head)
    elif args.http:
        results = measure_http(app, url, data, rng, n_queries)
        print(head + "; pages through gunicorn (2 sync workers, loopback)")
        for where in ("local", "every"):
            for kind in ("", "_word", "_prefix", "_two_words"):
                http_ms = results[f"{where}_http{kind}"]
                raw_ms = results[f"{where}_raw{kind}"]
                p95, raw_p95 = percentile(http_ms, 95), percentile(raw_ms, 95)
                figures[f"{where}{kind}_p50_ms"] = percentile(http_ms, 50)
                figures[f"{where}{kind}_p95_ms"] = p95
                figures[f"{where}{kind}_raw_p95_ms"] = raw_p95
                figures[f"{where}{kind}_ratio_p95"] = p95 / max(raw_p95, 1e-6)
            plain = results[f"{where}_raw_plain_prefix"]
            figures[f"{where}_prefix_plain_raw_p50_ms"] = percentile(plain, 50)
            figures[f"{where}_prefix_plain_raw_p95_ms"] = percentile(plain, 95)
            figures[f"{where}_prefix_raw_p50_ms"] = percentile(
                results[f"{where}_raw_prefix"], 50)
    else:
        results = measure_search(app, data, rng, n_queries)
        # (A reused archive has had its sync already.)
        quota_first, quota_rerun = measure_quota(app) if not args.reuse else (0, 0)
        p50, p95 = percentile(results["endpoint"], 50), percentile(results["endpoint"], 95)
        raw_p50, raw_p95 = percentile(results["raw"], 50), percentile(results["raw"], 95)
        filtered_ratio = (statistics.median(results["filtered"])
                          / max(statistics.median(results["unfiltered"]), 1e-6))
        print(head + "; endpoint = WSGI app in-process (Flask test client)")
        print(f"# filtered (municipality+year) p50 {statistics.median(results['filtered']):.2f}"
              f" ms, unfiltered p50 {statistics.median(results['unfiltered']):.2f} ms,"
              f" filtered p95 {percentile(results['filtered'], 95):.2f} ms,"
              f" unfiltered p95 {percentile(results['unfiltered'], 95):.2f} ms")
        print(f"# htmx fragment p50 {percentile(results['fragment'], 50):.2f} ms,"
              f" p95 {percentile(results['fragment'], 95):.2f} ms; search() (every index query"
              f" of one page) p50 {percentile(results['search'], 50):.2f} ms,"
              f" p95 {percentile(results['search'], 95):.2f} ms")
        print(f"# prefixes: raw statement p50/p95 {percentile(results['prefix_raw'], 50):.2f}"
              f" / {percentile(results['prefix_raw'], 95):.2f} ms with the known words,"
              f" {percentile(results['prefix_plain'], 50):.2f}"
              f" / {percentile(results['prefix_plain'], 95):.2f} ms as plain beginnings")
        figures |= {"p50_ms": p50, "p95_ms": p95, "raw_p50_ms": raw_p50, "raw_p95_ms": raw_p95,
                    "ratio_p95": p95 / max(raw_p95, 1e-6),
                    "prefix_raw_p95_ms": percentile(results["prefix_raw"], 95),
                    "prefix_plain_raw_p95_ms": percentile(results["prefix_plain"], 95),
                    "long_prefix_known_p50_ms": percentile(results["long_known"], 50),
                    "long_prefix_known_p95_ms": percentile(results["long_known"], 95),
                    "long_prefix_plain_p50_ms": percentile(results["long_plain"], 50),
                    "long_prefix_plain_p95_ms": percentile(results["long_plain"], 95),
                    "quota_first_sync": quota_first, "quota_rerun": quota_rerun,
                    "filtered_ratio": filtered_ratio}
    for key, value in figures.items():
        print(f"{key}={value:.2f}" if isinstance(value, float) else f"{key}={value}")


if __name__ == "__main__":
    main()
