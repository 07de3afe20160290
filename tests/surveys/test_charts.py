"""The result charts draw what their titles say (issue 16, item 10)."""

from __future__ import annotations

import re
from datetime import date

from surveys import charts
from surveys.catalogue import DIMENSIONS


def test_dimension_chart_draws_the_national_median_on_every_row(ctx):
    values = {code: (3.0 + i / 10, 12) for i, code in enumerate(DIMENSIONS)}
    values["KOM"] = None  # suppressed in the region: no bar, the median still drawn
    medians = dict.fromkeys(DIMENSIONS, 3.5) | {"ZAAN": None}
    svg = str(charts.dimension_chart(values, medians, DIMENSIONS, ("region", "mediana krajowa")))
    marks = re.findall(r'<line x1="([\d.]+)" y1="(-?[\d.]+)" x2="[\d.]+" y2="[\d.]+" stroke="#1b1b1b"', svg)
    # one mark per dimension with a median, plus the legend's sample mark
    assert len(marks) == len(DIMENSIONS) - 1 + 1
    x_median = charts.LABEL_W + 3.5 / 5 * charts.BAR_W
    assert {float(x) for x, _y in marks[:-1]} == {round(x_median, 1)}
    assert "mediana krajowa" in svg and "region" in svg
    bars = re.findall(r'<rect x="190" y="[\d.]+" width="([\d.]+)" height="22" fill="#0b4f8a"', svg)
    assert len(bars) >= len(DIMENSIONS) - 1


def test_response_rate_line_joins_every_week_on_a_time_axis(ctx):
    timeline = [(date(2025, 1, 6), 2, 2), (date(2025, 1, 13), 3, 5), (date(2025, 1, 27), 4, 9),
                (date(2025, 2, 3), 1, 10)]
    points = charts.timeline_points(timeline, invited=20)
    assert [round(v) for _d, v, _l in points] == [10, 25, 45, 50]  # percent of the invited
    assert points[0][2] == "6 sty"  # Polish day labels
    svg = str(charts.line(points, 100.0, value_suffix="%"))
    polyline = re.search(r'<polyline points="([^"]+)"', svg).group(1).split()
    assert len(polyline) == 4 and svg.count("<circle") == 4
    xs = [float(p.split(",")[0]) for p in polyline]
    # 7 days, 14 days (a week without completions keeps its width), 7 days
    assert abs((xs[2] - xs[1]) - 2 * (xs[1] - xs[0])) < 0.2 and abs((xs[3] - xs[2]) - (xs[1] - xs[0])) < 0.2
    ys = [float(p.split(",")[1]) for p in polyline]
    assert ys == sorted(ys, reverse=True)  # rising rate: the line goes up
    assert "50%" in svg and "10%" in svg
    assert charts.line([], 1.0) == ""


def test_a_single_week_is_one_marked_point(ctx):
    svg = str(charts.line(charts.timeline_points([(date(2025, 1, 6), 5, 5)]), 5.0))
    assert svg.count("<circle") == 1 and ">5<" in svg
