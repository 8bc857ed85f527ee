"""Results as the pages draw them: each question's chart (``web/charts``) with the labels in
the page's language, beside the same figures as a table (the templates' job)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from portal.blueprints.surveys.building import answer_options
from portal.blueprints.surveys.results import QuestionResult, Results
from portal.i18n import localized_plain
from portal.web.charts import BarChart, StackedChart, bar_chart, share, stacked_chart


@dataclass
class Shown:
    result: QuestionResult
    bars: BarChart | None = None
    stacked: StackedChart | None = None
    #: For a rating asked where a unit question exists: ratings per unit.
    units: StackedChart | None = None


def shown(results: Results) -> list[Shown]:
    found = []
    for r in results.questions:
        item = Shown(result=r)
        if r.options:
            item.bars = bar_chart([(localized_plain(o.label), o.count, o.percent) for o in r.options])
        if r.ranks:
            places = len(r.ranks)
            item.stacked = stacked_chart(
                [(localized_plain(k.label), k.by_place) for k in r.ranks],
                [_("Place %(n)s", n=n + 1) for n in range(places)])
        if r.by_unit:
            steps = [o["value"] for o in answer_options(r.question)]
            item.units = stacked_chart([(localized_plain(u.unit), u.counts) for u in r.by_unit], steps)
        found.append(item)
    return found


def percent(value: float, total: float) -> float:
    return share(value, total)
