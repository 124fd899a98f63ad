"""Which of the seven reasons to engage the organisation's posts serve, month by month.

Only drafts on organisational accounts count (they are the organisation's record), grouped by
the unit that runs the account. There is deliberately no way to select an author: the figures
are about the organisation or a unit, never about a person (P-05).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from civicpost.drafts.models import Draft
from civicpost.drafts.purposes import Purpose
from civicpost.people.models import Organisation, Unit

# One colour per purpose, each with at least 3:1 contrast against white (WCAG 1.4.11).
COLOURS = ("#01689b", "#a90061", "#275937", "#8f4e00", "#42145f", "#b3351b", "#39870c")
CHART_WIDTH = 640
CHART_HEIGHT = 240
BAR_AREA_TOP = 10
AXIS_LEFT = 40


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    label: str


@dataclass(frozen=True)
class PurposeStatistics:
    months: list[dt.date]
    purposes: list[tuple[str, str, str]]  # value, label, colour
    table: list[tuple[dt.date, list[int], int]]  # month, count per purpose, total
    totals: list[int]
    bars: list[Bar]
    month_labels: list[tuple[int, str]]
    maximum: int


def units_of(organisation: Organisation) -> list[Unit]:
    return list(organisation.units.select_related("parent"))


def subtree(unit: Unit) -> list[int]:
    ids = [unit.pk]
    frontier = [unit.pk]
    while frontier:
        frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


def _month_starts(last: dt.date, count: int) -> list[dt.date]:
    months: list[dt.date] = []
    year, month = last.year, last.month
    for _ in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def statistics(
    organisation: Organisation, unit: Unit | None = None, months: int = 12
) -> PurposeStatistics:
    drafts = Draft.objects.filter(
        account__kind="organisational", account__organisation=organisation
    )
    if unit is not None:
        drafts = drafts.filter(account__unit_id__in=subtree(unit))
    month_list = _month_starts(timezone.localdate(), months)
    rows = (
        drafts.filter(created_at__date__gte=month_list[0])
        .annotate(month=TruncMonth("created_at"))
        .values("month", "purpose")
        .annotate(n=Count("pk"))
    )
    counts: dict[tuple[dt.date, str], int] = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        counts[(month.replace(day=1), row["purpose"])] = row["n"]
    purposes = [
        (value, str(label), COLOURS[index % len(COLOURS)])
        for index, (value, label) in enumerate(Purpose.choices)
    ]
    table = []
    for month in month_list:
        per_purpose = [counts.get((month, value), 0) for value, _label, _colour in purposes]
        table.append((month, per_purpose, sum(per_purpose)))
    totals = [sum(row[1][i] for row in table) for i in range(len(purposes))]
    maximum = max([row[2] for row in table] + [1])
    bars, labels = _stacked_bars(table, purposes, maximum)
    return PurposeStatistics(month_list, purposes, table, totals, bars, labels, maximum)


def _stacked_bars(
    table: list[tuple[dt.date, list[int], int]],
    purposes: list[tuple[str, str, str]],
    maximum: int,
) -> tuple[list[Bar], list[tuple[int, str]]]:
    """One stacked bar per month; heights scale to the busiest month."""
    plot_height = CHART_HEIGHT - BAR_AREA_TOP - 30
    slot = (CHART_WIDTH - AXIS_LEFT) // max(len(table), 1)
    width = max(slot - 8, 4)
    bars: list[Bar] = []
    labels: list[tuple[int, str]] = []
    for index, (month, per_purpose, _total) in enumerate(table):
        x = AXIS_LEFT + index * slot + 4
        base = BAR_AREA_TOP + plot_height
        for count, (_value, label, colour) in zip(per_purpose, purposes, strict=True):
            if not count:
                continue
            height = round(plot_height * count / maximum)
            base -= height
            bars.append(Bar(x, base, width, height, colour, f"{label}: {count}"))
        labels.append((x + width // 2, month.strftime("%m/%y")))
    return bars, labels
