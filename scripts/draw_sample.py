"""Draw the random sample of events that measures the error rate.

    python scripts/draw_sample.py SEED [N]

prints N (default 36) event ids, one per line, drawn with Python's ``random.Random(SEED)``
from the ids of ``data/events.csv`` in sorted order, so that anyone with the same data and
seed draws the same events.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

EVENTS = Path(__file__).resolve().parent.parent / "data" / "events.csv"
SAMPLE_SIZE = 36


def draw(seed: int, n: int = SAMPLE_SIZE, path: Path = EVENTS) -> list[str]:
    """The ids of ``n`` events drawn at random with ``seed``, in the order drawn."""
    with path.open(newline="", encoding="utf-8") as f:
        ids = sorted(row["id"] for row in csv.DictReader(f))
    return random.Random(seed).sample(ids, n)


def main(argv: list[str]) -> int:
    if not 2 <= len(argv) <= 3 or not all(a.isdigit() for a in argv[1:]):
        print("usage: python scripts/draw_sample.py SEED [N]", file=sys.stderr)
        return 2
    n = int(argv[2]) if len(argv) == 3 else SAMPLE_SIZE
    try:
        drawn = draw(int(argv[1]), n)
    except ValueError:
        print(f"cannot draw {n} events: {EVENTS.name} has fewer", file=sys.stderr)
        return 2
    for event_id in drawn:
        print(event_id)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
