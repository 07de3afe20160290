"""No code reads the system clock outside ``coordination/clock.py``.

ruff's ``DTZ`` rules ban ``datetime.now()`` and friends, but they do not see every spelling:
``import datetime as dt; dt.date.today()``, ``from time import time``, ``time.time()`` used as
a date, or the database's own clock (``func.now()``, ``CURRENT_TIMESTAMP`` in SQL text). This
test reads the source tree (Python AST, so aliases are followed) and lists every such read.

Allowed: ``time.monotonic()`` / ``time.perf_counter()`` (durations, not dates) and
``server_default=func.now()`` on a model column that also has a Python-side ``default`` from
the clock: the ORM always fills the column from :func:`coordination.clock.utcnow`; the server
default is only a fallback for rows inserted by plain SQL (a migration's seed rows).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THE_CLOCK = ROOT / "coordination" / "clock.py"
SKIPPED_DIRS = {".venv", "venv", "node_modules", "instance", "__pycache__", ".git", "build", "dist"}
#: migrations describe the schema (server defaults included); they never run "now" themselves.
SKIPPED_TREES = {ROOT / "migrations" / "versions"}

CLOCK_METHODS = {"now", "utcnow", "today"}
TIME_FUNCTIONS = {"time", "time_ns", "localtime", "gmtime", "ctime", "asctime"}
SQL_CLOCK = re.compile(r"\b(current_timestamp|current_date|current_time|localtimestamp|now\s*\(\s*\))",
                       re.IGNORECASE)


def python_files() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIPPED_DIRS or any(tree in path.parents for tree in SKIPPED_TREES):
            continue
        if path not in {THE_CLOCK, Path(__file__).resolve()}:
            found.append(path)
    return found


class ClockReads(ast.NodeVisitor):
    """Collects ``(line, description)`` of every read of a clock other than the app's."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []
        self.datetime_modules: set[str] = set()  # import datetime [as dt]
        self.time_modules: set[str] = set()  # import time [as t]
        self.date_classes: set[str] = set()  # from datetime import datetime, date [as d]
        self.time_functions: set[str] = set()  # from time import time [as now]
        self.allowed: set[int] = set()  # ids of func.now() calls allowed as a server default

    def visit_Import(self, node: ast.Import) -> None:  # noqa: N802 - ast API
        for alias in node.names:
            if alias.name == "datetime":
                self.datetime_modules.add(alias.asname or "datetime")
            elif alias.name == "time":
                self.time_modules.add(alias.asname or "time")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # noqa: N802 - ast API
        for alias in node.names:
            if node.module == "datetime" and alias.name in {"datetime", "date"}:
                self.date_classes.add(alias.asname or alias.name)
            elif node.module == "time" and alias.name in TIME_FUNCTIONS:
                self.time_functions.add(alias.asname or alias.name)

    def _is_date_class(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.date_classes
        return (isinstance(node, ast.Attribute) and node.attr in {"datetime", "date"}
                and isinstance(node.value, ast.Name) and node.value.id in self.datetime_modules)

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802 - ast API
        callee = ast.unparse(node.func).split(".")[-1]
        if callee in {"mapped_column", "Column"}:
            python_default = any(k.arg == "default" for k in node.keywords)
            for keyword in node.keywords:
                if keyword.arg == "server_default" and python_default:
                    self.allowed.add(id(keyword.value))
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr in CLOCK_METHODS and self._is_date_class(func.value):
                self.found.append((node.lineno, f"{ast.unparse(func)}()"))
            elif (func.attr in TIME_FUNCTIONS and isinstance(func.value, ast.Name)
                  and func.value.id in self.time_modules and not node.args):
                self.found.append((node.lineno, f"{ast.unparse(func)}()"))
            elif func.attr == "now" and ast.unparse(func.value).split(".")[-1] == "func" \
                    and id(node) not in self.allowed:
                self.found.append((node.lineno, "func.now() (the database's clock)"))
        elif isinstance(func, ast.Name) and func.id in self.time_functions and not node.args:
            self.found.append((node.lineno, f"{func.id}() from the time module"))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:  # noqa: N802 - ast API
        if isinstance(node.value, str) and SQL_CLOCK.search(node.value) and " " in node.value.strip():
            self.found.append((node.lineno, f"SQL clock in text: {node.value.strip()[:60]!r}"))


def clock_reads(source: str) -> list[tuple[int, str]]:
    visitor = ClockReads()
    visitor.visit(ast.parse(source))
    return sorted(visitor.found)


def test_the_detector_sees_the_spellings_ruff_can_miss():
    sample = '''
import datetime as dt
import time
from time import time as stamp
from datetime import date as D
from sqlalchemy import func
a = dt.datetime.now()
b = dt.date.today()
c = D.today()
d = time.time()
e = stamp()
f = func.now()
g = "SELECT * FROM t WHERE at < CURRENT_TIMESTAMP"
ok1 = time.monotonic()
ok2 = time.perf_counter()
ok3 = mapped_column(default=utcnow, server_default=func.now())
ok4 = dt.datetime.fromtimestamp(0, dt.UTC)
'''
    assert [line for line, _what in clock_reads(sample)] == [7, 8, 9, 10, 11, 12, 13]


def test_a_server_default_without_a_python_default_is_reported():
    sample = "from sqlalchemy import func\nx = mapped_column(server_default=func.now())\n"
    assert [what for _line, what in clock_reads(sample)] == ["func.now() (the database's clock)"]


def test_no_code_reads_the_system_or_database_clock_outside_coordination_clock():
    offenders = [f"{path.relative_to(ROOT)}:{line}: {what}"
                 for path in python_files()
                 for line, what in clock_reads(path.read_text(encoding="utf-8"))]
    assert offenders == [], "read the time from coordination/clock.py:\n" + "\n".join(offenders)
    assert len(python_files()) > 100  # the walk really saw the source tree
