"""Contested place names: international, Armenian and Azerbaijani usage, chosen by the reader.

Only places whose names differ between the usages (the disputed territory and the districts
around it, as places.csv records them) are switched; a place named alike in every usage
(Yerevan, Goris, Ganja/Kirovabad) is never touched, so a city keeps the name it had at the
date of the text. Text in the data may name a contested place in any usage, alone or paired
("Stepanakert (Khankendi)", "Shusha/Shushi"); every such mention becomes the one name of the
chosen usage. Sentences that speak about the names themselves ("which Baku calls Khankendi",
"soon renamed Stepanakert") and quoted words are left as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

USAGE_COLUMN = {"international": "name", "hy": "name_hy", "az": "name_az"}
COLUMNS = tuple(USAGE_COLUMN.values())
# a sentence about the names themselves keeps every name as written
ABOUT_NAMES = re.compile(
    r"\b(renamed|rename|calls?|called|names?|named|known as|for Armenians|for Azerbaijanis)\b",
    re.I,
)
SENTENCE = re.compile(r"(?<=[.!?;])\s+")
# The usages in places.csv are those of the Soviet and later borders; a text about the years
# before (Varanda and Dizak as the regions of 1920, Khankendi before it became Stepanakert)
# keeps the names of its time.
NAMES_FROM = pd.Timestamp("1923-01-01")


def place_names(places: pd.DataFrame, usage: str = "international") -> pd.Series:
    """place_id -> the name in the chosen usage."""
    if places is None or places.empty:
        return pd.Series(dtype="str")
    column = USAGE_COLUMN.get(usage, "name")
    return places.set_index("place_id")[column]


def _short(name: str) -> str:
    return re.sub(r"\s*\(.*\)\s*$", "", name).strip() or name


def _variants(name: str, others: frozenset[str] = frozenset()) -> set[str]:
    """'Ganja (Kirovabad)' is found in text as 'Ganja' and as 'Kirovabad'. A bracket that
    names another place ('Susuzluq (Kalbajar district)') qualifies the name: not a variant."""
    base = _short(name)
    inner = [v.strip() for part in re.findall(r"\(([^)]*)\)", name) for v in part.split("/")]
    inner = [v for v in inner if not any(re.search(rf"\b{re.escape(o)}\b", v) for o in others)]
    return {v for v in (name, base, *inner) if v and len(v) > 2}


def contested(places: pd.DataFrame) -> pd.DataFrame:
    """The places whose name differs between the usages: the only ones the switch touches."""
    if places is None or places.empty:
        return places
    same = (places["name_hy"] == places["name"]) & (places["name_az"] == places["name"])
    return places[~same]


def _pairs(places: pd.DataFrame, usage: str) -> tuple[tuple[str, str], ...]:
    """(a way text may name a contested place, its name in the chosen usage), longest first.

    Pairs written as "A (B)" or "A/B" come first so a pair becomes one name, never "X (X)".
    A name of one usage that is also part of an international name ("Karabakh" in
    "Nagorno-Karabakh") is only switched as part of the longer name.
    """
    column = USAGE_COLUMN.get(usage, "name")
    rows = contested(places)
    if rows is None or rows.empty:
        return ()
    international = " | ".join(places["name"].astype(str))
    bases = frozenset(_short(str(n)) for n in places["name"])
    pairs: dict[str, str] = {}
    for row in rows.itertuples(index=False):
        target = _short(getattr(row, column))
        elsewhere = bases - {_short(row.name)}
        # a name the chosen usage itself gives ("Goranboy" in "Shahumyan (Goranboy)") stays
        kept = _variants(getattr(row, column), elsewhere)
        own = _variants(row.name, elsewhere)
        others = set()
        for col in COLUMNS[1:]:
            others |= {v for v in _variants(getattr(row, col), elsewhere) if v not in international}
        names = sorted(own | others, key=len, reverse=True)
        for a in names:
            for b in names:
                if a != b:
                    pairs.setdefault(f"{a} ({b})", target)
                    pairs.setdefault(f"{a}/{b}", target)
        for v in names:
            pairs.setdefault(v, v if v in kept else target)
    return tuple(sorted(pairs.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=8)
def _pattern(key: tuple[tuple[str, str], ...]) -> re.Pattern | None:
    if not key:
        return None
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(w) for w, _ in key) + r")(?![\w]|\.\w)")


class Renamer:
    """Puts every mention of a contested place in short texts (titles, summaries, actors,
    labels) in the chosen usage; see the module's docstring for what is left alone."""

    def __init__(self, places: pd.DataFrame, usage: str = "international") -> None:
        self.key = _pairs(places, usage) if places is not None and len(places) else ()
        self.map = dict(self.key)
        self.pattern = _pattern(self.key)

    def _sentence(self, text: str) -> str:
        if self.pattern is None or ABOUT_NAMES.search(text):
            return text

        def swap(m: re.Match) -> str:
            if (
                m.string.count('"', 0, m.start()) % 2
                or m.string.count("“", 0, m.start()) > (m.string.count("”", 0, m.start()))
                or m.string.endswith(" as ", 0, m.start())
            ):
                return m.group(0)
            return self.map[m.group(0)]

        return self.pattern.sub(swap, text)

    def __call__(self, text):
        if self.pattern is None or not isinstance(text, str):
            return text
        parts = SENTENCE.split(text)
        if len(parts) == 1:
            return self._sentence(text)
        seps = SENTENCE.findall(text)
        out = [self._sentence(parts[0])]
        for sep, part in zip(seps, parts[1:], strict=True):
            out += [sep, self._sentence(part)]
        return "".join(out)

    def at(self, text, date):
        """The text renamed, unless it is about a date before NAMES_FROM."""
        if date is not None and pd.notna(date) and pd.Timestamp(date) < NAMES_FROM:
            return text
        return self(text)

    def series(self, values: pd.Series, dates: pd.Series | None = None) -> pd.Series:
        """Each text renamed; with `dates`, texts dated before NAMES_FROM keep their names."""
        if self.pattern is None:
            return values
        if dates is None:
            return values.map(self, na_action="ignore")
        recent = (dates >= NAMES_FROM).to_numpy()
        out = values.copy()
        out[recent] = values[recent].map(self, na_action="ignore")
        return out
