"""Downloads: the selected events as CSV, JSON or a TimelineJS sheet, built when asked.

Every format is inert for where it goes next: CSV cells a spreadsheet would run as a formula
start with a quote, and every text cell of the TimelineJS sheet (which TimelineJS renders as
HTML) is HTML-escaped. The files are built only when a visitor clicks, by `OnDemand`, which
holds the session's data by a weak reference: a button drawn for a session must not keep an
uploaded file's events alive after that session has ended.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from timeline import load
from timeline.schema import EVENT_COLUMNS

EXPORT_COLUMNS = [*EVENT_COLUMNS, "date_label", "perspectives"]
COUNT_COLUMNS = ("deaths_low", "deaths_high", "displaced_low", "displaced_high")
GONE = (
    b"This download belonged to a page that has since been closed or reloaded. "
    b"Open the dashboard again and download from there.\n"
)


def _columns(events: pd.DataFrame) -> pd.DataFrame:
    return events[[c for c in EXPORT_COLUMNS if c in events]]


def neutralised_csv(events: pd.DataFrame) -> bytes:
    out = _columns(events).copy()
    text_cols = [c for c in out.columns if c not in COUNT_COLUMNS]
    out[text_cols] = out[text_cols].map(load.neutralise)
    return out.to_csv(index=False).encode("utf-8")


def events_json(events: pd.DataFrame) -> bytes:
    records = json.loads(_columns(events).to_json(orient="records", force_ascii=False))
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def timelinejs_sheet(events: pd.DataFrame, package: load.Package) -> pd.DataFrame:
    """The TimelineJS template's rows; the writer escapes every text cell (TimelineJS renders
    them as HTML on the site that publishes the sheet) and neutralises formulas."""
    return load.to_timelinejs(events, package.eras, package.title)


def timelinejs_csv(events: pd.DataFrame, package: load.Package) -> bytes:
    return timelinejs_sheet(events, package).to_csv(index=False).encode("utf-8")


@dataclass(frozen=True)
class Format:
    label: str
    file_name: str
    mime: str
    build: Callable[[pd.DataFrame, load.Package], bytes]


FORMATS = {
    "csv": Format("Download CSV", "events.csv", "text/csv", lambda e, _p: neutralised_csv(e)),
    "json": Format(
        "Download JSON", "events.json", "application/json", lambda e, _p: events_json(e)
    ),
    "tj": Format("Download TimelineJS sheet", "events-timelinejs.csv", "text/csv", timelinejs_csv),
}


class OnDemand:
    """A download's bytes, built at the click from the package the session shows.

    Holds the package weakly and the view (a few strings) strongly; `select` must be a
    module-level function (package, view) -> events, so that nothing here refers to a
    session's rows. Once the session's package is gone, the file says so instead.
    """

    def __init__(
        self,
        kind: str,
        package: load.Package,
        view: object,
        select: Callable[[load.Package, Any], pd.DataFrame],
    ) -> None:
        self.kind = kind
        self._package = weakref.ref(package)
        self._view = view
        self._select = select

    def __call__(self) -> bytes:
        package = self._package()
        if package is None:
            return GONE
        return FORMATS[self.kind].build(self._select(package, self._view), package)
