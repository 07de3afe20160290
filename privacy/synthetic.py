"""Benchmark data of the privacy module: none (its tables hold settings and the erasure
register, whose size does not grow with the regions)."""

from __future__ import annotations


def generate(tenants, scale, rng) -> dict[str, int]:
    """Nothing to generate."""
    return {}
