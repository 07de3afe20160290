"""Goals and the printed table of ``make bench`` (see docs/bench.md for how to read them)."""

from __future__ import annotations

from bench import config

MET, MISSED, NOT_MEASURED = "met", "MISSED", "not measured"

COLUMNS = ("page", "scale", "base", "render", "ratio", "p50 ms", "p95 ms", "SQL",
           "HTML KB", "cold KB gz", "JS KB gz")
WIDTHS = (30, 5, 6, 6, 5, 6, 6, 3, 7, 10, 8)


def _row(values) -> str:
    cells = []
    for i, (value, width) in enumerate(zip(values, WIDTHS, strict=True)):
        text = str(value)
        cells.append(text.ljust(width) if i == 0 else text.rjust(width))
    return "  ".join(cells)


def _kb(n: int | None) -> str:
    return "" if n is None else f"{n / 1024:.1f}"


def page_rows(page: dict) -> list[str]:
    if page["status"] != "ok":
        return [_row((page["name"], *[""] * (len(COLUMNS) - 1))) + f"  {page['status']}"]
    lines = []
    for label, s in page["scales"].items():
        lines.append(_row((
            page["name"] if not lines else "", f"{label}×", f"{s['baseline_rps']:.0f}",
            f"{s['render_rps']:.0f}", f"{s['render_ratio']:.2f}",
            f"{s['render_p50_ms']:.1f}", f"{s['render_p95_ms']:.1f}", s["sql"],
            _kb(s.get("html_bytes")), _kb(s.get("cold_gzip")), _kb(s.get("js_gzip")),
        )) + (f"  {s['errors']} errors" if s.get("errors") else ""))
    return lines


def page_line(page: dict) -> str:
    return "\n".join(page_rows(page))


def _measured(results: dict) -> list[dict]:
    """The measured key pages (references such as the layout floor are shown, not judged)."""
    return [p for p in results["pages"] if p["status"] == "ok" and not p.get("reference")]


def scale_time_ratio(page: dict, prefix: str = "render_") -> tuple[float, float] | None:
    """(normalised, raw) page time at the largest scale ÷ at the smallest, of the rendered page.

    Normalised: each scale's page time relative to its own baseline slices (1/ratio), so a
    machine that got busier between slices does not count as slowness; raw: p50 ÷ p50."""
    labels = list(page["scales"])
    if len(labels) < 2:
        return None
    small, large = page["scales"][labels[0]], page["scales"][labels[-1]]
    if not small.get(f"{prefix}ratio") or not large.get(f"{prefix}ratio"):
        return None
    return (small[f"{prefix}ratio"] / large[f"{prefix}ratio"],
            large[f"{prefix}p50_ms"] / small[f"{prefix}p50_ms"])


def goals(results: dict) -> list[dict]:
    g = config.GOALS
    pages = _measured(results)
    pending = [p["name"] for p in results["pages"] if p["status"] != "ok"]
    out = []

    def add(goal, target, ok, detail):
        status = NOT_MEASURED if ok is None else MET if ok else MISSED
        out.append({"goal": goal, "target": target, "status": status, "detail": detail})

    key = "render_ratio"
    for goal, target, judged in (
            ("key pages vs baseline throughput", g["throughput_ratio"], pages),
            ("list pages vs baseline throughput", g["list_throughput_ratio"],
             [p for p in pages if p.get("list_page")])):
        slow = [f"{p['name']} {label}×: {s[key]:.2f} ({s[key] / target:.0%} of the goal)"
                for p in judged for label, s in p["scales"].items() if s[key] < target]
        worst = min((s[key] for p in judged for s in p["scales"].values()), default=None)
        add(goal, f"≥ {target}×", None if not judged else not slow,
            (f"lowest {worst:.2f}×; below: " + "; ".join(slow)) if slow else
            (f"lowest {worst:.2f}×" if judged else "no page measured"))

    sql_bad = []
    for p in pages:
        counts = [s["sql"] for s in p["scales"].values()]
        if len(set(counts)) > 1 or max(counts) > g["max_sql"]:
            sql_bad.append(f"{p['name']}: {counts}")
    add("SQL statements per page, same at 1× and 10×", f"≤ {g['max_sql']}, identical",
        None if not pages else not sql_bad,
        "; ".join(sql_bad) or "rendered: max " + str(max((s["sql"] for p in pages
                                                          for s in p["scales"].values()), default=0)))

    for prefix, goal in (("render_", "page time at 10× data vs 1×"),):
        times = {p["name"]: scale_time_ratio(p, prefix) for p in pages}
        times = {k: v for k, v in times.items() if v}
        over = [f"{k}: {v[0]:.2f}× (raw p50 {v[1]:.2f}×)" for k, v in times.items()
                if v[0] > g["scale_time_ratio"]]
        add(goal, f"≤ {g['scale_time_ratio']}×", None if not times else not over,
            "; ".join(over) or (f"worst {max(v[0] for v in times.values()):.2f}× (baseline-normalised)"
                                if times else "needs two scales"))

    export = results.get("export")
    if export:
        ratio, growth = export["time_ratio"], export["rss_growth_mb"]["sieci"]
        add("100k-row XLSX export vs plain openpyxl loop", f"≤ {g['export_ratio']}×",
            ratio <= g["export_ratio"], f"{ratio:.2f}× ({export['seconds']['sieci']:.1f} s vs "
            f"{export['seconds']['plain']:.1f} s)")
        add("export memory flat (10× rows)", f"≤ +{g['export_rss_growth_mb']} MB RSS",
            growth <= g["export_rss_growth_mb"], f"+{growth:.1f} MB from "
            f"{config.EXPORT_SMALL_ROWS} to {export['rows']} rows")
    else:
        add("100k-row XLSX export vs plain openpyxl loop", f"≤ {g['export_ratio']}×", None, "skipped")
    job = results.get("export_job")
    if job:
        add("large exports as background jobs with progress", "job done, progress seen",
            job["status"] == "done" and job["rows"] == job["expected_rows"] and job["progress_monotonic"],
            f"{job['rows']} audit rows in {job['seconds']:.1f} s, {job['bytes'] // 1024} KB, "
            f"{job['progress_updates']} progress updates")
    else:
        add("large exports as background jobs with progress", "job done, progress seen", None, "skipped")

    for name, limit in config.HTML_LIMITS_KB.items():
        sizes = [s.get("html_bytes") for p in pages if p["name"] == name for s in p["scales"].values()]
        sizes = [n for n in sizes if n is not None]
        add(f"{name}: HTML of the first load", f"≤ {limit} KB", None if not sizes else
            max(sizes) <= limit * 1024, f"{_kb(max(sizes))} KB" if sizes else "not measured")

    cold = max((s.get("cold_gzip", 0) for p in pages for s in p["scales"].values()), default=None)
    js = max((s.get("js_gzip", 0) for p in pages for s in p["scales"].values()), default=None)
    add("cold page weight (gzip)", f"≤ {g['cold_gzip_kb']} KB", None if cold is None else
        cold <= g["cold_gzip_kb"] * 1024, f"heaviest {_kb(cold)} KB" if cold is not None else "")
    add("JavaScript per page (gzip)", f"≤ {g['js_gzip_kb']} KB", None if js is None else
        js <= g["js_gzip_kb"] * 1024, f"{_kb(js)} KB" if js is not None else "")
    external = sorted({ref for p in pages for s in p["scales"].values() for ref in s.get("external", [])})
    add("no external requests", "0 references to other hosts", None if not pages else not external,
        "; ".join(external) or "none")
    if pending:
        add("key pages not built yet", "all measured", None, ", ".join(pending))
    return out


def table(results: dict) -> str:
    meta = results["meta"]
    lines = [f"Sieć ES bench — {meta['database']}, {meta['load_tool']}, {meta['workers']} sync workers, "
             f"{meta['connections']} connections, {meta['rounds']} × {meta['slice_s']:g} s slices "
             f"alternating with the baseline /_bench/fortunes",
             "req/s: base = baseline, render = the page rendered; p50/p95 and SQL of the page",
             "", _row(COLUMNS), _row("-" * w for w in WIDTHS)]
    for page in results["pages"]:
        lines.extend(page_rows(page))
    lines.append("")
    for label, scale in results["scales"].items():
        lines.append(f"scale {label}×: seeded in {scale['seed_s']:.1f} s; baseline SQL "
                     f"{scale.get('baseline', {}).get('sql', '?')}")
    export = results.get("export")
    if export:
        lines.append(f"export {export['rows']} rows: shared writer {export['seconds']['sieci']:.2f} s, "
                     f"plain openpyxl {export['seconds']['plain']:.2f} s, ratio {export['time_ratio']:.2f}; "
                     "peak RSS (MB) " + ", ".join(
                         f"{mode} {rows} rows {mb:.0f}" for mode, by_rows in export["peak_rss_mb"].items()
                         for rows, mb in sorted(by_rows.items(), key=lambda kv: int(kv[0]))))
    lines += ["", "goals:"]
    for goal in results["goals"]:
        lines.append(f"  [{goal['status']:>12}] {goal['goal']} ({goal['target']}): {goal['detail']}")
    return "\n".join(lines)
