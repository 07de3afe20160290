"""``make bench``: throughput, SQL statements, page weight and export benchmarks (not tests).

See docs/bench.md. Entry point: ``python -m bench.run``.
"""
