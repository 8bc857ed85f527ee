"""Search quality of the council archive: recall and precision at 10 on a judged set.

Loads ``bench/data/search_quality.json`` (350 Georgian council-session sentences about Poti
and 244 judged queries: dictionary forms, inflected forms, two-word phrases, names, exact
forms and Latin-typed Georgian; see ``bench/data/make_search_quality.py``) into a throw-away
archive (one transcript line a sentence, ten lines a session), indexed by the real indexer,
then runs every query through ``search()`` twice in the same run: **before** (word beginnings
only, as the search was before word forms and Latin typing: ``word_forms=False,
latin=False``) and **after** (the search as it is).

The first ten lines a query shows, in the order the page shows them (groups newest first,
exact forms before other forms; ten lines a group here, so that a session's lines are not
cut at five), are its top 10:

- ``recall_at_10``: relevant lines in the top 10 / min(relevant lines, 10);
- ``precision_at_10``: relevant lines in the top 10 / 10 (as trec_eval counts it: a query
  with three relevant lines scores at most 0.3; compare before with after, not with 1);
- ``answered``: queries that showed anything / queries.

    .venv/bin/python bench/search_quality.py [--quick]
    .venv/bin/python bench/search_quality.py --database-url postgresql://postgres@127.0.0.1:5432/test_quality

``--quick`` runs every second query. Figures last, as key=value lines. WARNING: the
PostgreSQL database given is emptied first.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_ENV", "testing")

DATA = Path(__file__).with_name("data") / "search_quality.json"
PER_SESSION = 10
CATEGORIES = ("inflected", "exact", "dictionary", "phrase", "name", "latin")


def build(app, sentences) -> tuple[int, dict[tuple[int, float], int]]:
    """One session a ten sentences, each with a recording whose lines are the sentences."""
    from sqlalchemy import insert

    from portal.blueprints.sessions.models import (
        Body,
        CouncilSession,
        Recording,
        TranscriptSegment,
    )
    from portal.blueprints.sessions.search import reindex_groups
    from portal.extensions import db
    from portal.tenancy import all_tenants, get_directory

    poti = get_directory(app).by_slug("poti")
    start = datetime(2024, 1, 10, 8, tzinfo=UTC)
    lines: dict[tuple[int, float], int] = {}
    keys = []
    with all_tenants():
        conn = db.session.connection()
        body_id = conn.execute(insert(Body).values(
            tenant_id=poti.id, slug="sakrebulo", name_ka="საკრებულო", name_en="", kind="council",
            position=0).returning(Body.id)).scalar()
        for number, first in enumerate(range(0, len(sentences), PER_SESSION)):
            when = start + timedelta(days=14 * number)
            session_id = conn.execute(insert(CouncilSession).values(
                tenant_id=poti.id, body_id=body_id, title=f"საკრებულოს სხდომა № {number + 1}",
                description="", kind="regular", status="held", place="დარბაზი",
                starts_at=when).returning(CouncilSession.id)).scalar()
            recording_id = conn.execute(insert(Recording).values(
                tenant_id=poti.id, session_id=session_id, source="youtube",
                external_id=f"quality{number}", url="https://www.youtube.com/watch?v=q",
                title=f"სხდომის ჩანაწერი № {number + 1}", published_at=when,
            ).returning(Recording.id)).scalar()
            rows = []
            for seq, sentence in enumerate(sentences[first:first + PER_SESSION]):
                start_s = 30.0 * (seq + 1)
                rows.append({"tenant_id": poti.id, "recording_id": recording_id,
                             "start_seconds": start_s, "end_seconds": start_s + 20,
                             "text": sentence["text"], "speaker": ""})
                lines[(recording_id, start_s)] = sentence["id"]
            conn.execute(insert(TranscriptSegment), rows)
            keys.append(f"s{session_id}")
        reindex_groups(conn, keys)
        db.session.commit()
    return poti.id, lines


def top10(conn, tenant_id, q, lines, **options) -> list[int]:
    from portal.blueprints.sessions.search import SearchQuery, search

    page = search(conn, SearchQuery(text=q, tenant_ids=(tenant_id,), per_page=10,
                                    hits_per_group=10, **options))
    shown = []
    for group in page.groups:
        for hit in group.hits:
            sentence = lines.get((hit.recording_id, hit.start_s))
            if sentence is not None and sentence not in shown:
                shown.append(sentence)
    return shown[:10]


def measure(app, tenant_id, lines, queries, verbose=False, **options) -> dict[str, float]:
    from portal.extensions import db
    from portal.tenancy import all_tenants

    sums: dict[str, list[float]] = {c: [] for c in CATEGORIES}
    precisions: dict[str, list[float]] = {c: [] for c in CATEGORIES}
    answered = dict.fromkeys(CATEGORIES, 0)
    began = time.perf_counter()
    with app.app_context(), all_tenants():
        conn = db.session.connection()
        for query in queries:
            relevant = set(query["relevant"])
            shown = top10(conn, tenant_id, query["q"], lines, **options)
            found = len(relevant.intersection(shown))
            sums[query["category"]].append(found / min(len(relevant), 10))
            precisions[query["category"]].append(found / 10)
            answered[query["category"]] += bool(shown)
            if verbose and found < min(len(relevant), 10):
                print(f"# missed: {query['category']} {query['q']!r}: {found} of"
                      f" {min(len(relevant), 10)}")
        db.session.rollback()
    out = {"ms_per_query": 1000 * (time.perf_counter() - began) / len(queries)}
    for c in CATEGORIES:
        out[f"recall_at_10_{c}"] = sum(sums[c]) / max(len(sums[c]), 1)
        out[f"precision_at_10_{c}"] = sum(precisions[c]) / max(len(precisions[c]), 1)
        out[f"answered_{c}"] = f"{answered[c]}/{len(sums[c])}"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="every second query")
    parser.add_argument("--database-url", help="PostgreSQL URL (emptied!); default: SQLite")
    parser.add_argument("--verbose", action="store_true", help="name the queries that miss")
    args = parser.parse_args()
    data = json.loads(DATA.read_text(encoding="utf-8"))
    queries = data["queries"][::2] if args.quick else data["queries"]
    workdir = tempfile.mkdtemp(prefix="quality-bench-")
    url = args.database_url or f"sqlite:///{workdir}/bench.db"
    if url.startswith("postgresql"):
        from bench.harness import reset_postgres

        reset_postgres(url)
    os.environ["DATABASE_URL"] = url
    os.environ["PORTAL_INSTANCE_PATH"] = workdir

    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db
    from portal.tenancy.loader import load_tenants

    app = create_app({"TESTING": True})
    with app.app_context():
        upgrade()
        load_tenants(ROOT / "tenants")
        db.session.commit()
        tenant_id, lines = build(app, data["sentences"])
        db.engine.dispose()
    before = measure(app, tenant_id, lines, queries, word_forms=False, latin=False)
    after = measure(app, tenant_id, lines, queries, verbose=args.verbose)
    dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
    counts = {c: sum(1 for q in queries if q["category"] == c) for c in CATEGORIES}
    print(f"# {dialect}: {len(data['sentences'])} sentences, {len(queries)} queries {counts};"
          " before = word beginnings only (word_forms=False, latin=False)")
    print(f"# {'category':<11} {'recall@10 before → after':>26} {'precision@10 before → after':>30}")
    for c in CATEGORIES:
        print(f"# {c:<11} {before[f'recall_at_10_{c}']:>12.3f} → {after[f'recall_at_10_{c}']:.3f}"
              f" {before[f'precision_at_10_{c}']:>17.3f} → {after[f'precision_at_10_{c}']:.3f}")
    figures: dict[str, object] = {"database": dialect, "queries": len(queries)}
    for c in CATEGORIES:
        for metric in ("recall_at_10", "precision_at_10"):
            figures[f"{metric}_{c}_before"] = before[f"{metric}_{c}"]
            figures[f"{metric}_{c}"] = after[f"{metric}_{c}"]
        figures[f"answered_{c}_before"] = before[f"answered_{c}"]
        figures[f"answered_{c}"] = after[f"answered_{c}"]
    figures["ms_per_query_before"] = before["ms_per_query"]
    figures["ms_per_query"] = after["ms_per_query"]
    for key, value in figures.items():
        print(f"{key}={value:.3f}" if isinstance(value, float) else f"{key}={value}")


if __name__ == "__main__":
    main()
