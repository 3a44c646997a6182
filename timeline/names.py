"""Contested place names: international, Armenian and Azerbaijani usage, chosen by the reader."""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

USAGE_COLUMN = {"international": "name", "hy": "name_hy", "az": "name_az"}


def place_names(places: pd.DataFrame, usage: str = "international") -> pd.Series:
    """place_id -> the name in the chosen usage."""
    if places is None or places.empty:
        return pd.Series(dtype="str")
    column = USAGE_COLUMN.get(usage, "name")
    return places.set_index("place_id")[column]


def _pairs(places: pd.DataFrame, usage: str) -> tuple[tuple[str, str], ...]:
    """(international name as found in text, name in the chosen usage).

    Text in the data is written with international names, so only those are replaced. Names
    that stay the same are kept as pairs too, so that the longest match wins ("Lachin corridor"
    stays whole rather than becoming "Berdzor corridor").
    """
    column = USAGE_COLUMN.get(usage, "name")
    if column == "name":
        return ()
    pairs: dict[str, str] = {}
    for row in places.itertuples(index=False):
        target = _short(getattr(row, column))
        for variant in _variants(row.name):
            pairs.setdefault(variant, target)
    return tuple(sorted(pairs.items(), key=lambda kv: -len(kv[0])))


def _variants(name: str) -> set[str]:
    """'Ganja (Kirovabad)' is found in text as 'Ganja' and as 'Kirovabad'."""
    base = re.sub(r"\s*\(.*\)\s*$", "", name).strip()
    inner = re.findall(r"\(([^)]*)\)", name)
    return {v for v in (name, base, *inner) if v and len(v) > 2}


def _short(name: str) -> str:
    return re.sub(r"\s*\(.*\)\s*$", "", name).strip() or name


@lru_cache(maxsize=8)
def _pattern(key: tuple[tuple[str, str], ...]) -> re.Pattern | None:
    if not key:
        return None
    return re.compile(r"\b(" + "|".join(re.escape(w) for w, _ in key) + r")\b")


class Renamer:
    """Replaces international place names in short texts (titles, labels) by the chosen usage."""

    def __init__(self, places: pd.DataFrame, usage: str = "international") -> None:
        self.usage = usage
        self.key = _pairs(places, usage) if places is not None and len(places) else ()
        self.map = dict(self.key)
        self.pattern = _pattern(self.key)

    def __call__(self, text):
        if self.pattern is None or not isinstance(text, str):
            return text
        return self.pattern.sub(lambda m: self.map[m.group(0)], text)

    def series(self, values: pd.Series) -> pd.Series:
        if self.pattern is None:
            return values
        return values.map(self, na_action="ignore")
