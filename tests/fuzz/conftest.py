"""The fuzzing lane's tally: requests sent, 500s and unescaped markers, printed in the pytest
terminal summary (with pytest-xdist, each worker's tally is sent to the controller and summed)."""

from __future__ import annotations

import pytest

from tests.fuzz.stats import STATS


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the tally to the controller
        workeroutput["fuzz_stats"] = dict(STATS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    for key, value in (getattr(node, "workeroutput", None) or {}).get("fuzz_stats", {}).items():
        STATS[key] += value


def pytest_terminal_summary(terminalreporter):
    if getattr(terminalreporter.config, "workerinput", None) is not None or not STATS["requests"]:
        return
    terminalreporter.write_line(
        f"fuzz: {STATS['requests']} requests ({STATS['generated']} generated, {STATS['corpus']} "
        f"corpus, {STATS['crawl']} crawl), {STATS['errors']} × 500, "
        f"{STATS['unescaped']} unescaped markers, {STATS['seconds']:.0f} s")
