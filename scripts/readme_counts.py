"""Write the counts in data/README.md from the data: `python scripts/readme_counts.py`.

The opening counts line and the "Events per year" table are generated between their markers
(tests/test_data.py checks that they match the data, so the README never drifts from it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline import load  # noqa: E402

README = ROOT / "data" / "README.md"
MARKERS = {
    "counts": ("<!-- counts -->", "<!-- /counts -->"),
    "years": ("<!-- counts per year -->", "<!-- /counts per year -->"),
}


def counts_text(package: load.Package) -> str:
    events = package.events
    last = events["start"].max()
    framed = package.claims.groupby("event_id")["perspective"].nunique()
    stories = package.stories
    steps = len(stories)
    n_stories = stories["story_id"].nunique() if steps else 0
    return (
        f"At the time of writing: {len(events):,} events from {events['start'].min().year} to "
        f"{last.day} {last.strftime('%B %Y')}, {len(package.sources):,} sources from "
        f"{len(package.publishers):,} publishers, {len(package.claims):,} claims "
        f"({int((framed >= 2).sum()):,} events framed from two or more perspectives, "
        f"{int((framed >= 3).sum()):,} from three or more), {len(package.places):,} places, "
        f"{len(package.displacement):,} displacement figures, {len(package.glossary):,} glossary "
        f"terms, {len(package.eras):,} eras, {n_stories} stories of {steps} steps, and "
        f"{len(package.audit):,} audit rows."
    )


def years_text(events: pd.DataFrame, first_full: int = 1988) -> str:
    years = events["start"].dt.year
    counts = years.value_counts().sort_index()
    last = int(years.max())
    full = counts[(counts.index >= first_full) & (counts.index < last)]
    rows = [f"| 1918–{first_full - 1} | {int(counts[counts.index < first_full].sum())} |"]
    rows += [f"| {year} | {int(n)} |" for year, n in counts[counts.index >= first_full].items()]
    least = int(full.min()) if len(full) else 0
    return "\n".join(
        [
            f"Every full year from {first_full} to {last - 1} has at least {least} events; "
            f"{last} is covered as far as the sources read reach.",
            "",
            "| years | events |",
            "|---|---|",
            *rows,
        ]
    )


def render(text: str, package: load.Package) -> str:
    for key, body in (("counts", counts_text(package)), ("years", years_text(package.events))):
        start, end = MARKERS[key]
        head, found, rest = text.partition(start)
        _, closed, tail = rest.partition(end)
        if found and closed:
            text = f"{head}{start}\n{body}\n{end}{tail}"
    return text


def main() -> None:
    package = load.load_package()
    README.write_text(render(README.read_text(encoding="utf-8"), package), encoding="utf-8")
    print(f"{README.relative_to(ROOT)}: counts written")


if __name__ == "__main__":
    main()
