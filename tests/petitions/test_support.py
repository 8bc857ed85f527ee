"""A petition's support on its page: counted signatures per administrative unit (the
municipality's list, "another unit", "not named") and per day in the municipality's time zone,
as a table with bars and a server-drawn SVG chart with its table; one grouped query each."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from portal.blueprints.petitions import counting, support
from portal.blueprints.petitions.models import Signature
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context
from portal.web.charts import column_chart, labelled, share, tick_step
from tests.helpers import count_queries
from tests.petitions.conftest import make_petition

OPENS = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)  # 10:00 in Tbilisi (UTC+4)
CLOSES = datetime(2026, 3, 30, 20, 0, tzinfo=UTC)
#: (unit, confirmed at in UTC): the day in Tbilisi noted beside each.
SIGNED = [("ცენტრი", datetime(2026, 3, 1, 7, 0, tzinfo=UTC)),            # 1 March
          ("ცენტრი", datetime(2026, 3, 1, 19, 59, tzinfo=UTC)),           # 1 March, 23:59
          ("მალთაყვა", datetime(2026, 3, 1, 21, 30, tzinfo=UTC)),         # 2 March, 01:30
          ("ცენტრი", datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),            # 3 March
          ("კუნძული", datetime(2026, 3, 3, 10, 10, tzinfo=UTC)),
          ("მალთაყვა", datetime(2026, 3, 3, 11, 0, tzinfo=UTC)),
          ("სადღაც სხვაგან", datetime(2026, 3, 3, 12, 0, tzinfo=UTC)),    # not on the list
          ("", datetime(2026, 3, 4, 5, 0, tzinfo=UTC)),                   # 4 March
          ("", datetime(2026, 3, 4, 6, 0, tzinfo=UTC))]


def _add(petition, n: int, unit: str, at: datetime | None, **values) -> Signature:
    signature = Signature(petition_id=petition.id, full_name=f"ხელმომწერი {n}",
                          personal_number_hash=f"hash-{petition.id}-{n}", unit=unit,
                          email=f"s{n}@example.ge", has_consent=True, created_at=at or OPENS,
                          confirmed_at=at, **values)
    db.session.add(signature)
    return signature


def _seed(signed=SIGNED, **petition_values):
    """A Poti petition with ``signed`` counted, one unconfirmed and one invalidated."""
    petition = make_petition(opens=petition_values.pop("opens", OPENS),
                             closes=petition_values.pop("closes", CLOSES), **petition_values)
    for n, (unit, at) in enumerate(signed):
        _add(petition, n, unit, at)
    _add(petition, 100, "ცენტრი", None)  # never confirmed
    _add(petition, 101, "კუნძული", datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
         invalidated_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    db.session.flush()
    counting.count_confirmed()
    return petition


def test_support_by_unit_counts_the_counted_signatures_of_the_list(ctx, poti):
    with tenant_context(poti):
        rows = support.by_unit(_seed())
    assert [(r.kind, r.unit.ka if r.unit else None, r.count, r.percent) for r in rows] == [
        ("unit", "ცენტრი", 3, 33.3), ("unit", "კუნძული", 1, 11.1), ("unit", "ნაბადა", 0, 0.0),
        ("unit", "მალთაყვა", 2, 22.2), ("other", None, 1, 11.1), ("not_named", None, 2, 22.2)]


def test_a_municipality_without_units_has_no_table(ctx, abasha):
    with tenant_context(abasha):
        assert support.by_unit(_seed()) == []


def test_days_are_the_municipalitys_and_every_day_of_collection_is_there(ctx, poti):
    with tenant_context(poti):
        days = support.by_day(_seed(), now=datetime(2026, 3, 5, 12, 0, tzinfo=UTC))
    assert [(d.day, d.count, d.total) for d in days] == [
        (date(2026, 3, 1), 2, 2), (date(2026, 3, 2), 1, 3), (date(2026, 3, 3), 4, 7),
        (date(2026, 3, 4), 2, 9), (date(2026, 3, 5), 0, 9)]


def test_a_closed_petitions_days_end_with_its_collection(ctx, poti):
    with tenant_context(poti):
        petition = _seed(closes=datetime(2026, 3, 3, 19, 0, tzinfo=UTC))  # 23:00 local
        days = support.by_day(petition, now=datetime(2026, 6, 1, tzinfo=UTC))
    # The last signatures were confirmed after the close (the counting job's lag): shown.
    assert [d.day for d in days] == [date(2026, 3, n) for n in (1, 2, 3, 4)]
    assert days[-1].total == 9


def test_no_counted_signature_no_days(ctx, poti):
    with tenant_context(poti):
        assert support.by_day(_seed(signed=[])) == []


def test_chart_geometry():
    assert [tick_step(m) for m in (0, 3, 9, 10, 41, 250)] == [1, 1, 5, 5, 20, 100]
    chart = column_chart([("a", "A", 2), ("b", "B", 0), ("c", "C", 9)], width=300, height=200)
    assert [t.value for t in chart.ticks] == [0, 5, 10]
    tallest = chart.columns[2]
    assert tallest.y + tallest.height == chart.bottom and chart.columns[1].height == 0
    assert round(tallest.height / (chart.bottom - chart.top), 2) == 0.9
    assert labelled(30, 6) == {0, 5, 10, 15, 20, 25, 29}
    assert labelled(31, 6) == {0, 6, 12, 18, 24, 30}
    assert labelled(27, 6) == {0, 5, 10, 15, 20, 26}  # 25 would crowd 26
    assert (share(1, 3), share(0, 0), share(5, 5)) == (33.3, 0.0, 100.0)


def _page_seed(app, tenant, signed) -> int:
    now = utcnow()
    with app.app_context(), tenant_context(tenant):
        petition = _seed(signed=signed, opens=now - timedelta(days=6),
                         closes=now + timedelta(days=20))
        db.session.commit()
        return petition.id


def _recent(count: int) -> list[tuple[str, datetime]]:
    now = utcnow()
    units = ("ცენტრი", "კუნძული", "ნაბადა", "მალთაყვა", "", "სხვა")
    return [(units[n % len(units)], now - timedelta(hours=5 * n + 1)) for n in range(count)]


def test_page_shows_the_table_and_the_chart_in_both_languages(app, client, poti):
    pid = _page_seed(app, poti, _recent(9))
    client.set_cookie("lang", "en")
    client.get(f"/poti/petitions/{pid}")  # the first visit gets its session cookie: private
    response = client.get(f"/poti/petitions/{pid}")
    html = response.text
    assert response.headers["Cache-Control"] == "public, max-age=60, stale-while-revalidate=60"
    assert client.get(f"/poti/petitions/{pid}", headers={
        "If-Modified-Since": response.headers["Last-Modified"]}).status_code == 304
    section = html[html.index('id="support-title"'):html.index('id="timeline-title"')]
    rows = re.findall(r'<tr class="support-(\w+)">\s*<th scope="row"[^>]*>(.*?)</th>\s*'
                      r'<td class="num"[^>]*>(\d+)</td>', section)
    assert rows == [("unit", "Centre", "2"), ("unit", "Island", "2"), ("unit", "Nabada", "2"),
                    ("unit", "Maltakva", "1"), ("other", "Another unit", "1"),
                    ("not_named", "Not named", "1")]
    assert "22.2%" in section and 'width="22.2%"' in section
    assert 'role="img"' in section and 'aria-labelledby="signatures-chart-title signatures-chart-desc"' in section
    assert "<title id=\"signatures-chart-title\">Signatures per day</title>" in section
    assert "9 signatures from" in section and "<details" in section
    assert " style=" not in section and "<script" not in section
    client.set_cookie("lang", "ka")
    georgian = client.get(f"/poti/petitions/{pid}").text
    assert "ცენტრი" in georgian and "22,2%" in georgian and "Not named" not in georgian


def test_abasha_shows_the_chart_but_no_unit_table(app, client, abasha):
    pid = _page_seed(app, abasha, [("ჩემი სოფელი", utcnow() - timedelta(hours=2))])
    html = client.get(f"/abasha/petitions/{pid}").text
    assert 'id="over-time-title"' in html and 'id="support-title"' not in html
    assert "ჩემი სოფელი" not in html  # what a signer typed is never shown


def test_page_query_count_does_not_grow_with_signatures(app, client, poti):
    def statements(pid: int) -> int:
        with app.app_context(), count_queries(db.engine) as seen:
            assert client.get(f"/poti/petitions/{pid}").status_code == 200
        return len(seen)

    few = statements(_page_seed(app, poti, _recent(2)))
    assert statements(_page_seed(app, poti, _recent(60))) == few
