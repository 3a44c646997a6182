"""Write a synthetic events table in the project's own format.

    .venv/bin/python bench/generate.py N OUT.csv [--seed 20240101]

Dates cluster where the real history does (1918-21, 1988-94, 2016, 2020, 2022-23) with some
background; precision is mixed day / month / year; about 5% of rows are periods with an
end_date. Categories come from timeline/schema.py, place_ids from data/places.csv, actors and
source_ids from the bundled tables, and titles (30-90 chars) and summaries (150-600 chars) are
made of words taken from the bundled summaries. Everything per row is numpy-vectorised: a
million rows take seconds (most of it is pandas writing the CSV).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline.schema import CATEGORIES, EVENT_COLUMNS  # noqa: E402

DATA = ROOT / "data"
SEED = 20240101
# (first day, last day, weight): where the events cluster
CLUSTERS = [
    ("1918-01-01", "1921-12-31", 0.12),
    ("1988-01-01", "1994-12-31", 0.28),
    ("2016-04-01", "2016-04-30", 0.05),
    ("2016-01-01", "2016-12-31", 0.03),
    ("2020-09-27", "2020-11-10", 0.15),
    ("2020-01-01", "2020-12-31", 0.04),
    ("2022-01-01", "2023-12-31", 0.25),
    ("1918-01-01", "2024-01-01", 0.08),  # background
]
PRECISION_P = {"day": 0.70, "month": 0.20, "year": 0.10}
PERIOD_SHARE = 0.05
POOL = 4096  # distinct titles and sentences built, then combined per row


def _vocabulary(events: pd.DataFrame) -> np.ndarray:
    text = " ".join(events["summary"].dropna().tolist() + events["title"].dropna().tolist())
    words = re.findall(r"[A-Za-z][A-Za-z'-]{1,}", text)
    return np.array(words, dtype=object)


def _phrases(rng: np.random.Generator, words: np.ndarray, n: int, lo: int, hi: int) -> np.ndarray:
    """`n` strings of lo..hi characters made of random words from the vocabulary."""
    out = np.empty(n, dtype=object)
    targets = rng.integers(lo, hi + 1, size=n)
    picks = rng.integers(0, len(words), size=(n, 120))
    for i in range(n):  # only POOL strings, once: the rows themselves are vectorised below
        parts, length = [], 0
        for w in words[picks[i]]:
            if length + len(w) > targets[i] and length - 1 >= lo:
                break
            parts.append(w)
            length += len(w) + 1
        s = " ".join(parts)[: targets[i]].rstrip()
        while len(s) < lo:
            s += " talks"
        out[i] = s[:1].upper() + s[1:]
    return out


def _dates(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    lo = np.array([np.datetime64(c[0]) for c in CLUSTERS])
    hi = np.array([np.datetime64(c[1]) for c in CLUSTERS])
    w = np.array([c[2] for c in CLUSTERS])
    which = rng.choice(len(CLUSTERS), size=n, p=w / w.sum())
    span = (hi - lo).astype("int64")[which]
    days = lo[which] + (rng.random(n) * (span + 1)).astype("int64").astype("timedelta64[D]")
    prec = rng.choice(3, size=n, p=list(PRECISION_P.values()))  # 0 day, 1 month, 2 year
    return days, prec


def _format(days: np.ndarray, prec: np.ndarray) -> np.ndarray:
    full = np.datetime_as_string(days, unit="D").astype(object)  # 'YYYY-MM-DD'
    s = pd.Series(full)
    out = s.where(prec == 0, s.str[:7]).where(prec != 2, s.str[:4])
    return out.to_numpy(dtype=object)


def _join_lists(rng: np.random.Generator, values: np.ndarray, n: int, k_max: int, p_empty=0.0):
    """A ';'-joined list of 1..k_max distinct-ish values per row (vectorised per list length)."""
    k = rng.integers(1, k_max + 1, size=n)
    picks = rng.integers(0, len(values), size=(n, k_max))
    out = pd.Series(values[picks[:, 0]], dtype=object)
    for j in range(1, k_max):
        more = k > j
        out[more] = out[more] + ";" + pd.Series(values[picks[more, j]], dtype=object).values
    if p_empty:
        out[rng.random(n) < p_empty] = None
    return out.to_numpy(dtype=object)


def _figures(rng: np.random.Generator, n: int, share: float, scale: float):
    has = rng.random(n) < share
    low = np.round(np.exp(rng.normal(np.log(scale), 1.5, size=n))).astype("int64")
    high = low + np.round(low * rng.random(n)).astype("int64")
    low_s = pd.array(np.where(has, low, 0), dtype="Int64")
    high_s = pd.array(np.where(has & (rng.random(n) < 0.8), high, 0), dtype="Int64")
    low_s[~has] = pd.NA
    high_s[~(has & (high_s > 0))] = pd.NA
    return low_s, high_s


def generate(n: int, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    events = pd.read_csv(DATA / "events.csv", dtype=str, keep_default_na=False)
    places = pd.read_csv(DATA / "places.csv", dtype=str)["place_id"].to_numpy(dtype=object)
    sources = pd.read_csv(DATA / "sources.csv", dtype=str)["id"].to_numpy(dtype=object)
    actors = (
        events["actors"].replace("", np.nan).dropna().str.split(";").explode().str.strip().unique()
    )
    actors = np.array([a for a in actors if a], dtype=object)
    words = _vocabulary(events.replace("", np.nan))

    titles = _phrases(rng, words, POOL, 30, 90)
    sentences = _phrases(rng, words, POOL, 48, 195)  # three make 150..600 chars with ". "

    days, prec = _dates(rng, n)
    start = _format(days, prec)
    is_period = rng.random(n) < PERIOD_SHARE
    end_days = days + rng.integers(1, 900, size=n).astype("timedelta64[D]")
    end_prec = np.minimum(prec, rng.choice(3, size=n, p=[0.6, 0.3, 0.1]))
    end = np.where(is_period, _format(end_days, end_prec), None)
    # a year-precise end in the start's own year would end before a later month start: widen
    end_s = pd.Series(end, dtype=object)
    start_s = pd.Series(start, dtype=object)
    bad = end_s.notna() & (end_s.str[:4] <= start_s.str[:4]) & (end_s.str.len() == 4)
    end_s[bad] = (start_s[bad].str[:4].astype(int) + 1).astype(str)
    end = end_s.to_numpy(dtype=object)

    n_sent = rng.integers(0, POOL, size=(n, 3))
    summary = (
        pd.Series(sentences[n_sent[:, 0]], dtype=object)
        + ". "
        + pd.Series(sentences[n_sent[:, 1]], dtype=object).values
        + ". "
        + pd.Series(sentences[n_sent[:, 2]], dtype=object).values
        + "."
    )
    summary = summary.str.slice(0, 600)
    title = pd.Series(titles[rng.integers(0, POOL, size=n)], dtype=object)

    cats = np.array(list(CATEGORIES), dtype=object)
    cat_p = np.array([0.22, 0.28, 0.14, 0.10, 0.10, 0.10, 0.06])
    deaths_low, deaths_high = _figures(rng, n, 0.20, 50)
    displaced_low, displaced_high = _figures(rng, n, 0.08, 5000)
    ids = (
        pd.Series(start, dtype=object).str.replace("-", "", regex=False)
        + "-syn-"
        + pd.Series(np.arange(n)).astype(str)
    )
    frame = pd.DataFrame(
        {
            "id": ids,
            "start_date": start,
            "end_date": end,
            "date_precision": np.array(["day", "month", "year"], dtype=object)[prec],
            "title": title,
            "summary": summary,
            "category": cats[rng.choice(len(cats), size=n, p=cat_p / cat_p.sum())],
            "actors": _join_lists(rng, actors, n, 3, p_empty=0.03),
            "place_id": np.where(
                rng.random(n) < 0.9, places[rng.integers(0, len(places), size=n)], None
            ),
            "source_ids": _join_lists(rng, sources, n, 3),
            "deaths_low": deaths_low,
            "deaths_high": deaths_high,
            "displaced_low": displaced_low,
            "displaced_high": displaced_high,
            "figures_note": np.where(
                (deaths_low.isna() == False) & (rng.random(n) < 0.3),  # noqa: E712
                "Figures as reported; estimates differ between sources.",
                None,
            ),
        }
    )
    cols = [c for c in EVENT_COLUMNS if c in frame.columns]
    return frame[cols]


def write_csv(frame: pd.DataFrame, out: Path) -> None:
    """pyarrow's CSV writer (ships with pandas here): ~10x faster than DataFrame.to_csv."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        table = pa.Table.from_pandas(frame, preserve_index=False)
        with open(out, "wb") as sink:
            sink.write((",".join(frame.columns) + "\n").encode())
            try:  # unquoted like data/events.csv; arrow refuses if a cell would need quotes
                opts = pacsv.WriteOptions(include_header=False, quoting_style="none")
                pacsv.write_csv(table, sink, opts)
            except pa.ArrowInvalid:
                sink.seek(0)
                sink.truncate()
                frame.to_csv(sink, index=False)
    except ImportError:  # pragma: no cover
        frame.to_csv(out, index=False)


def ensure(n: int, out: Path, seed: int = SEED) -> Path:
    """The synthetic table of `n` rows at `out`, written first if it is not there yet."""
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        write_csv(generate(n, seed), out)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    frame = generate(args.n, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_csv(frame, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
