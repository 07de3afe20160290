"""Hand-made server-side SVG charts (no JavaScript, no inline styles: CSP-safe).

Every chart is decorative for assistive technology (``aria-hidden``): the page shows a data
table with the same numbers beside it.
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from markupsafe import Markup, escape

from coordination.formats import format_number

BAR_H = 22
GAP = 8
LABEL_W = 190
BAR_W = 300
VALUE_W = 70
COLOURS = ("#0b4f8a", "#1d6b2f", "#7a4d00", "#6a1b9a", "#a61b1b", "#00695c")
#: reference marks (the national median) and the legend row under a chart.
MARK_COLOUR = "#1b1b1b"
LEGEND_H = 24


def _trim(label: str, limit: int = 27) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def hbar(rows: list[tuple[str, float | None, str]], max_value: float, *, cycle: int = 1,
         marks: list[float | None] | None = None, legend: tuple[str, str] | None = None) -> Markup:
    """Horizontal bars: ``rows`` are ``(label, value or None, value text)``.

    ``None`` values draw no bar (e.g. suppressed groups) but keep their row and text.
    ``cycle``: bars take ``cycle`` colours in turn (e.g. one per year in comparisons).
    ``marks``: one reference value per row (e.g. the national median), drawn as a dark vertical
    line across the row; ``legend``: ``(bar meaning, mark meaning)`` written under the chart.
    """
    rows_h = len(rows) * (BAR_H + GAP) + GAP
    height = rows_h + (LEGEND_H if legend else 0)
    width = LABEL_W + BAR_W + VALUE_W
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" aria-hidden="true" focusable="false">']
    for i, (label, value, text) in enumerate(rows):
        y = GAP + i * (BAR_H + GAP)
        colour = COLOURS[(i % max(1, cycle)) % len(COLOURS)]
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + 15}" text-anchor="end" font-size="12" '
                     f'fill="#1b1b1b">{escape(_trim(label))}</text>')
        parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{BAR_W}" height="{BAR_H}" fill="#f2f5f8"/>')
        if value is not None and max_value > 0:
            w = max(0.0, min(1.0, value / max_value)) * BAR_W
            parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{colour}"/>')
        mark = marks[i] if marks and i < len(marks) else None
        if mark is not None and max_value > 0:
            x = LABEL_W + max(0.0, min(1.0, mark / max_value)) * BAR_W
            parts.append(f'<line x1="{x:.1f}" y1="{y - 3}" x2="{x:.1f}" y2="{y + BAR_H + 3}" '
                         f'stroke="{MARK_COLOUR}" stroke-width="3"/>')
        parts.append(f'<text x="{LABEL_W + BAR_W + 6}" y="{y + 15}" font-size="12" '
                     f'fill="#1b1b1b">{escape(text)}</text>')
    if legend:
        y = rows_h + 4
        parts.append(f'<rect x="{LABEL_W}" y="{y}" width="14" height="14" fill="{COLOURS[0]}"/>')
        parts.append(f'<text x="{LABEL_W + 20}" y="{y + 12}" font-size="12" fill="#1b1b1b">{escape(legend[0])}</text>')
        x = LABEL_W + BAR_W / 2
        parts.append(f'<line x1="{x + 7:.1f}" y1="{y - 2}" x2="{x + 7:.1f}" y2="{y + 16}" stroke="{MARK_COLOUR}" '
                     f'stroke-width="3"/>')
        parts.append(f'<text x="{x + 20:.1f}" y="{y + 12}" font-size="12" fill="#1b1b1b">{escape(legend[1])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line(series: list[tuple[date, float, str]], max_value: float, *, value_suffix: str = "") -> Markup:
    """A line chart of ``(day, y, day label)`` points joined in order, every point marked and
    labelled; days are placed on a time axis (a week without responses keeps its width)."""
    width, height, pad, top = 560, 200, 36, 24
    if not series:
        return Markup("")
    first, last = series[0][0], series[-1][0]
    span = max(1, (last - first).days)

    def x_of(day: date) -> float:
        return pad + ((day - first).days / span if len(series) > 1 else 0.5) * (width - 2 * pad)

    def y_of(v: float) -> float:
        return height - pad - (v / max_value if max_value else 0) * (height - pad - top)

    points = [(x_of(day), y_of(v), v, label) for day, v, label in series]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" aria-hidden="true" focusable="false">',
             f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#4a4a4a"/>',
             f'<line x1="{pad}" y1="{top}" x2="{pad}" y2="{height - pad}" stroke="#4a4a4a"/>',
             f'<text x="{pad - 4}" y="{top + 4}" font-size="11" text-anchor="end" fill="#1b1b1b">'
             f'{escape(_number(max_value) + value_suffix)}</text>',
             f'<text x="{pad - 4}" y="{height - pad + 4}" font-size="11" text-anchor="end" fill="#1b1b1b">0</text>',
             '<polyline points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y, _v, _l in points)
             + f'" fill="none" stroke="{COLOURS[0]}" stroke-width="3"/>']
    # label every point while they fit (about 45 px apart), otherwise every k-th and the last
    every = max(1, -(-len(points) * 45 // int(width - 2 * pad)))
    for i, (x, y, v, label) in enumerate(points):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{COLOURS[0]}"/>')
        if i % every == 0 or i == len(points) - 1:
            parts.append(f'<text x="{x:.1f}" y="{y - 8:.1f}" font-size="11" text-anchor="middle" '
                         f'fill="#1b1b1b">{escape(_number(v) + value_suffix)}</text>')
            parts.append(f'<text x="{x:.1f}" y="{height - pad + 16}" font-size="11" text-anchor="middle" '
                         f'fill="#1b1b1b">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _number(v: float) -> str:
    """Whole numbers on the axis and points (the data table beside gives the exact values)."""
    return str(int(round(v)))


def distribution(res, likert: dict[str, str], other_label: str) -> list[tuple[str, int, float]]:
    """Rows ``(label, count, percent of n)`` of one question result, in the questionnaire's order."""
    q = res.question
    if q.kind in ("likert", "matrix"):
        keys = list(likert)
        labels = likert
    elif q.kind in ("single", "multi"):
        from surveys.models import OTHER

        labels = {o["code"]: o["label"] for o in q.options or ()}
        keys = list(labels) + ([OTHER] if q.allow_other else [])
        labels[OTHER] = other_label
    else:
        return []
    n = res.n or 0
    return [(labels[k], res.counts.get(k, 0), (100.0 * res.counts.get(k, 0) / n) if n else 0.0)
            for k in keys]


def distribution_chart(rows: list[tuple[str, int, float]]) -> Markup:
    """Bars of a distribution (percent of respondents)."""
    return hbar([(label, pct, f"{count} ({pct:.0f}%)") for label, count, pct in rows], 100.0)


def dimension_rows(values: dict, names: dict[str, str]) -> list[tuple[str, float | None, str]]:
    """Bar rows of dimension means; suppressed dimensions keep their row without a bar."""
    rows = []
    for code, name in names.items():
        v = values.get(code)
        rows.append((name, v[0] if v else None, format_number(v[0], 2, fixed=True) if v else "–"))
    return rows


def yoy_rows(yoy: dict, names: dict[str, str]) -> list[tuple[str, float | None, str]]:
    """Bar rows "dimension year" for every shown year."""
    rows = []
    for code, name in names.items():
        for year in yoy["years"]:
            value = yoy["dimensions"].get(code, {}).get(year) if year in yoy["shown"] else None
            rows.append((f"{name} {year}", value, format_number(value, 2, fixed=True) if value is not None else "–"))
    return rows


def timeline_points(timeline: list, invited: int = 0) -> list[tuple[date, float, str]]:
    """Points of the response-rate chart: ``(Monday of the week, value, label)``; the value is
    the cumulative response rate in percent of the invited people (the cumulative count when
    nobody was invited, e.g. a list kept outside the application)."""
    return [(day, 100.0 * total / invited if invited else float(total), format_date(day, "d MMM"))
            for day, _n, total in timeline]


def dimension_chart(values: dict, medians: dict[str, float | None], names: dict[str, str],
                    legend: tuple[str, str]) -> Markup:
    """The region's dimension means as bars with the national median marked on each row."""
    return hbar(dimension_rows(values, names), 5.0, marks=[medians.get(code) for code in names],
                legend=legend)


def median_rows(medians: dict[str, float | None], names: dict[str, str]) -> list[tuple[str, float | None, str]]:
    """Bar rows of national medians by dimension."""
    return dimension_rows({k: (v, 0) for k, v in medians.items() if v is not None}, names)
