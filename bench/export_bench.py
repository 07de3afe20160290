"""Export benchmark: the shared XLSX writer vs a plain openpyxl ``write_only`` loop.

Each measurement runs in its own interpreter (``python -m bench.export_bench --mode M --rows N``)
so peak RSS (VmHWM, else ``resource.getrusage``) belongs to that export alone; ``--trace`` measures the
Python heap peak with tracemalloc instead (slower, so timed runs never trace).
:func:`run` alternates the two modes and returns the figures for ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta

HEADER = ["Lp.", "Nazwa", "Województwo", "Data", "Kwota", "Liczba", "Uwagi", "Status"]
REGIONS = ("wielkopolskie", "łódzkie", "lubuskie", "mazowieckie", "śląskie", "opolskie")
NOTES = ("bez uwag", "-10% względem planu", "=do weryfikacji", "wniosek złożony", "+ dodatkowe godziny")


def rows(n: int):
    """``n`` deterministic rows of mixed types, produced lazily (some texts need escaping)."""
    start = date(2021, 1, 1)
    for i in range(n):
        yield [i + 1, f"Podmiot ekonomii społecznej nr {i}", REGIONS[i % 6],
               start + timedelta(days=i % 1800), round(i * 1.37 % 100000, 2), i % 97,
               NOTES[i % 5], "zweryfikowano" if i % 3 else "złożono"]


def export_plain(path: str, n: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("Dane")
    ws.append(HEADER)
    for row in rows(n):
        ws.append(row)
    workbook.save(path)


def export_sieci(path: str, n: int) -> None:
    from coordination.exports.xlsx import Sheet, write_xlsx

    write_xlsx(path, [Sheet("Dane", HEADER, rows(n))])


MODES = {"plain": export_plain, "sieci": export_sieci}


def _peak_rss_kb() -> int:
    """Peak resident memory of this process (VmHWM; ``ru_maxrss`` would include the memory of
    the process that spawned us, which Linux carries across exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _preload(mode: str) -> None:
    """Import what the mode needs first, so RSS growth is the export's own memory."""
    import openpyxl  # noqa: F401

    if mode == "sieci":
        import coordination.exports.xlsx  # noqa: F401


def _measure(mode: str, n: int, trace: bool) -> dict:
    _preload(mode)
    before = _peak_rss_kb()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "export.xlsx")
        if trace:
            import tracemalloc

            tracemalloc.start()
        started = time.perf_counter()
        MODES[mode](path, n)
        seconds = time.perf_counter() - started
        result = {"mode": mode, "rows": n, "seconds": seconds, "bytes": os.path.getsize(path),
                  "max_rss_kb": _peak_rss_kb(),
                  "rss_after_import_kb": before}
        if trace:
            result["heap_peak_kb"] = tracemalloc.get_traced_memory()[1] // 1024
        return result


def _child(mode: str, n: int, trace: bool = False) -> dict:
    cmd = [sys.executable, "-m", "bench.export_bench", "--mode", mode, "--rows", str(n)]
    if trace:
        cmd.append("--trace")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def run(n: int = 100_000, small: int = 10_000, repeats: int = 3, log=print) -> dict:
    """Alternate plain/sieci ``repeats`` times at ``n`` rows (median time ratio); peak RSS above
    the imports at ``small`` and at ``n`` rows ("memory flat": the same for 10× the rows)."""
    times: dict[str, list[float]] = {"plain": [], "sieci": []}
    export_rss: dict[str, dict[str, float]] = {"plain": {}, "sieci": {}}
    peak_rss: dict[str, dict[str, float]] = {"plain": {}, "sieci": {}}
    for i in range(repeats):
        for mode in ("plain", "sieci") if i % 2 == 0 else ("sieci", "plain"):
            result = _child(mode, n)
            times[mode].append(result["seconds"])
            mb = (result["max_rss_kb"] - result["rss_after_import_kb"]) / 1024
            export_rss[mode][str(n)] = max(export_rss[mode].get(str(n), 0.0), mb)
            peak_rss[mode][str(n)] = max(peak_rss[mode].get(str(n), 0.0), result["max_rss_kb"] / 1024)
            log(f"  export {mode:5} {n} rows: {result['seconds']:.2f} s, "
                f"{mb:.1f} MB above the imports")
    for mode in ("plain", "sieci"):
        result = _child(mode, small)
        export_rss[mode][str(small)] = (result["max_rss_kb"] - result["rss_after_import_kb"]) / 1024
        peak_rss[mode][str(small)] = result["max_rss_kb"] / 1024
    plain, sieci = statistics.median(times["plain"]), statistics.median(times["sieci"])
    return {
        "rows": n,
        "seconds": {"plain": plain, "sieci": sieci, "runs": times},
        "time_ratio": sieci / plain,
        "export_rss_mb": export_rss,
        "peak_rss_mb": peak_rss,
        "rss_growth_mb": {mode: v[str(n)] - v[str(small)] for mode, v in export_rss.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=sorted(MODES), required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--trace", action="store_true", help="measure the heap with tracemalloc")
    args = parser.parse_args()
    print(json.dumps(_measure(args.mode, args.rows, args.trace)))


if __name__ == "__main__":
    main()
