"""Hand-made server-side SVG charts (no JavaScript, no inline styles: CSP-safe).

Every chart is decorative for assistive technology (``aria-hidden``): the page shows a data
table with the same numbers beside it.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from coordination.formats import format_day, format_number

BAR_H = 22
GAP = 8
LABEL_W = 190
BAR_W = 300
VALUE_W = 70
COLOURS = ("#0b4f8a", "#1d6b2f", "#7a4d00", "#6a1b9a", "#a61b1b", "#00695c")


def _trim(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def hbar(rows: list[tuple[str, float | None, str]], max_value: float, *, cycle: int = 1) -> Markup:
    """Horizontal bars: ``rows`` are ``(label, value or None, value text)``.

    ``None`` values draw no bar (e.g. suppressed groups) but keep their row and text.
    ``cycle``: bars take ``cycle`` colours in turn (e.g. one per year in comparisons).
    """
    height = len(rows) * (BAR_H + GAP) + GAP
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
        parts.append(f'<text x="{LABEL_W + BAR_W + 6}" y="{y + 15}" font-size="12" '
                     f'fill="#1b1b1b">{escape(text)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line(series: list[tuple[str, float]], max_value: float) -> Markup:
    """A small line chart of ``(x label, y)`` points, e.g. cumulative responses per day."""
    width, height, pad = 560, 180, 30
    if not series:
        return Markup("")
    n = len(series)
    step = (width - 2 * pad) / max(1, n - 1)

    def y_of(v: float) -> float:
        return height - pad - (v / max_value if max_value else 0) * (height - 2 * pad)

    points = " ".join(f"{pad + i * step:.1f},{y_of(v):.1f}" for i, (_x, v) in enumerate(series))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" aria-hidden="true" focusable="false">',
             f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#4a4a4a"/>',
             f'<polyline points="{points}" fill="none" stroke="{COLOURS[0]}" stroke-width="3"/>']
    for i, (x, v) in ((0, series[0]), (n - 1, series[-1])):
        anchor = "start" if i == 0 else "end"
        parts.append(f'<text x="{pad + i * step:.1f}" y="{height - 8}" font-size="12" '
                     f'text-anchor="{anchor}" fill="#1b1b1b">{escape(x)}</text>')
        parts.append(f'<text x="{pad + i * step:.1f}" y="{y_of(v) - 6:.1f}" font-size="12" '
                     f'text-anchor="{anchor}" fill="#1b1b1b">{escape(str(int(v)))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


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


def timeline_points(timeline: list) -> list[tuple[str, float]]:
    """``(day, cumulative)`` points of the response-rate chart."""
    return [(format_day(day), float(total)) for day, _n, total in timeline]


def median_rows(medians: dict[str, float | None], names: dict[str, str]) -> list[tuple[str, float | None, str]]:
    """Bar rows of national medians by dimension."""
    return dimension_rows({k: (v, 0) for k, v in medians.items() if v is not None}, names)
