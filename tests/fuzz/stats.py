"""The fuzzing lane's counters (one per process; xdist workers report theirs at the end)."""

from collections import Counter

STATS: Counter = Counter()
