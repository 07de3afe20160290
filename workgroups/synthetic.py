"""Synthetic working groups for ``seed-synthetic`` (contract: coordination/synthetic.py).

Writes 5 groups per region at scale 1 (the Regional Committee and the four thematic groups,
repeated with a number at larger scales).

NOTE for the workgroups module: extend :func:`generate` as the models land — 12 members per
group from ``people(tenant, "member")`` (the committee from ``people(tenant, "committee")``),
6 meetings per group and year over the synthetic 5 years with minutes, resolutions and action
items — and return their row counts.
"""

from __future__ import annotations

from datetime import date

from coordination.synthetic import bulk_insert, count
from workgroups.models import Group

GROUPS_PER_TENANT = 5
#: (kind, name stem) in the order groups are written.
KINDS = (
    ("committee", "Regionalny Komitet Rozwoju Ekonomii Społecznej"),
    ("promotion", "Grupa robocza ds. promocji"),
    ("reintegration", "Grupa robocza ds. reintegracji"),
    ("education", "Grupa ds. edukacji i animacji"),
    ("business", "Grupa ds. sieciowania i współpracy z biznesem"),
)
DESCRIPTIONS = (
    "Wymiana doświadczeń i wypracowywanie wspólnych rozwiązań w regionie.",
    "Planowanie wspólnych przedsięwzięć i komunikatów o ekonomii społecznej.",
    "Sieciowanie specjalistów OWES oraz podmiotów reintegracyjnych (CIS, KIS, WTZ, ZAZ).",
)


def generate(tenants, scale, rng) -> dict[str, int]:
    """Groups of every region; the committee of each cohort has a 3-year term."""
    rows = []
    for tenant in tenants.values():
        for i in range(count(GROUPS_PER_TENANT, scale)):
            kind, stem = KINDS[i % len(KINDS)]
            cohort = i // len(KINDS)
            committee = kind == "committee"
            rows.append({
                "tenant_id": tenant.id,
                "name": stem if cohort == 0 else f"{stem} {cohort + 1}",
                "kind": kind,
                "description": rng.choice(DESCRIPTIONS),
                "status": "closed" if rng.random() < 0.1 else "active",
                "term_start": date(2023, 1, 1) if committee else None,
                "term_end": date(2025, 12, 31) if committee else None,
            })
    bulk_insert(Group, rows)
    return {"groups": len(rows)}
