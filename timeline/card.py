"""An event's card as plain content: what it says, built from the package; ui.py lays it out.

Everything here is data text, never markdown: the layout escapes it (`md`, `link`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from timeline import stats
from timeline.load import Package, list_column
from timeline.names import Renamer, place_names
from timeline.schema import CATEGORIES, NO_PAGE_METHODS, PERSPECTIVES


@dataclass(frozen=True)
class Cited:
    """A source as the card cites it."""

    id: str
    title: str
    url: str | None = None
    publisher: str | None = None
    publisher_type: str | None = None
    """From the register of publishers (data/publishers.csv), e.g. 'news agency'."""
    original: str | None = None
    """The publisher of the original, when the page read is a copy."""
    published: str | None = None
    perspective: str | None = None
    kind: str | None = None
    known: bool = True

    @property
    def details(self) -> list[str]:
        """Publisher (and its type), date, perspective, kind: what follows the title."""
        bits = []
        if self.publisher:
            bits.append(
                f"{self.publisher} ({self.publisher_type})"
                if self.publisher_type
                else self.publisher
            )
        if self.original:
            bits.append(f"a copy of {self.original}")
        bits += [b for b in (self.published, self.perspective, self.kind) if b]
        return bits


@dataclass(frozen=True)
class Claim:
    claimant: str
    claim: str
    source: Cited
    confirmed: bool = True
    """False when the claim's last audit check could not find the words on any page read."""
    reworded: bool = False
    """True when a desk check reworded the claim after the last reading of its page."""

    @property
    def flag(self) -> str:
        """What the claim's line says after its source about how it stands in the audit."""
        return claim_flag(self.confirmed, self.reworded)


@dataclass(frozen=True)
class Place:
    name: str
    international: str
    armenian: str
    azerbaijani: str

    def line(self) -> str:
        """The place as the card prints it: the three usages only where they differ."""
        if self.name == self.international == self.armenian == self.azerbaijani:
            return f"{self.name} (the same name in international, Armenian and Azerbaijani usage)"
        return (
            f"{self.name} (international: {self.international}; "
            f"Armenian usage: {self.armenian}; Azerbaijani usage: {self.azerbaijani})"
        )


@dataclass(frozen=True)
class Arrived:
    """People arrived in Armenia by the end of the event's day, with who reported it."""

    value: int
    time: str | None
    source: Cited


@dataclass(frozen=True)
class Card:
    id: str
    title: str
    date_line: str
    summary: str | None
    place: Place | None
    actors: tuple[str, ...]
    figures: str | None
    figures_note: str | None
    arrived: Arrived | None
    media: tuple[str, str] | None
    """(label, url)"""
    sources: tuple[Cited, ...]
    claims: tuple[tuple[str, tuple[Claim, ...]], ...]
    """(perspective label, its claims), in the order of PERSPECTIVES."""
    cautions: tuple[str, ...] = ()
    """What a careful reader must know first: weak sources, a statement not confirmed."""
    unconfirmed: str | None = None
    """What the last reading of the pages could not confirm: the audit note, without the name
    of the check; shown folded under the caution, as such notes run long."""
    checked: str | None = None
    """The audit's last word on the event, e.g. 'confirmed on 2026-11-29'."""


def _text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def figures_line(row: pd.Series) -> str | None:
    """'Deaths: 170–220 · Displaced: 100,000', from the low and high columns."""
    parts = []
    for what, lo, hi in (
        ("Deaths", "deaths_low", "deaths_high"),
        ("Displaced", "displaced_low", "displaced_high"),
    ):
        a, b = row.get(lo), row.get(hi)
        if pd.notna(a) or pd.notna(b):
            a = b if pd.isna(a) else a
            b = a if pd.isna(b) else b
            parts.append(f"{what}: {int(a):,}" if a == b else f"{what}: {int(a):,}–{int(b):,}")
    return " · ".join(parts) or None


def _type_label(value: object) -> str | None:
    text = _text(value)
    return text.replace("_", " ") if text else None


class _Sources:
    """Source rows by id, each with its publisher's name and type from the register."""

    def __init__(self, package: Package) -> None:
        sources = package.sources
        self.by_id = sources.set_index("id") if len(sources) else pd.DataFrame()
        publishers = package.publishers
        self.publishers = (
            publishers.set_index("id") if len(publishers) and "id" in publishers else pd.DataFrame()
        )

    def _publisher(self, publisher_id: object) -> pd.Series | None:
        key = _text(publisher_id)
        if key is None or key not in self.publishers.index:
            return None
        return self.publishers.loc[key]

    def cite(self, source_id: str) -> Cited:
        if source_id not in self.by_id.index:
            return Cited(id=source_id, title=source_id, known=False)
        s = self.by_id.loc[source_id]
        register = self._publisher(s.get("publisher_id"))
        original = self._publisher(s.get("original_publisher_id"))
        perspective = _text(s.get("perspective"))
        return Cited(
            id=source_id,
            title=_text(s.get("title")) or source_id,
            url=_text(s.get("url")),
            publisher=(_text(register.get("name")) if register is not None else None)
            or _text(s.get("publisher")),
            publisher_type=_type_label(register.get("type")) if register is not None else None,
            original=_text(original.get("name")) if original is not None else None,
            published=_text(s.get("published")),
            perspective=PERSPECTIVES.get(perspective, perspective) if perspective else None,
            kind=_text(s.get("kind")),
        )


def _listed(row: pd.Series, column: str, text: str) -> tuple[str, ...]:
    if column in row.index and isinstance(row[column], tuple):
        return row[column]
    return list_column(pd.Series([row.get(text)], dtype="object")).iloc[0]


def build(package: Package, event_id: str, names: str = "international") -> Card | None:
    """The card of an event, its place and title in the chosen usage; None if not in the data."""
    events = package.events
    match = events.index[events["id"] == event_id]
    if not len(match):
        return None
    row = events.loc[match[0]]
    rename = Renamer(package.places if len(package.places) else None, names)
    sources = _Sources(package)

    place = None
    place_id = _text(row.get("place_id"))
    if place_id and len(package.places) and place_id in set(package.places["place_id"]):
        p = package.places.set_index("place_id").loc[place_id]
        place = Place(
            name=str(place_names(package.places, names).get(place_id, p["name"])),
            international=str(p["name"]),
            armenian=str(p["name_hy"]),
            azerbaijani=str(p["name_az"]),
        )

    arrived = None
    if row.get("date_precision") == "day":
        crossed = stats.arrived_by_day(package.displacement, row["start"])
        if crossed:
            arrived = Arrived(
                value=crossed["value"],
                time=_text(crossed["time"]),
                source=sources.cite(crossed["source_id"]),
            )

    media = None
    if _text(row.get("media")):
        media = (_text(row.get("media_credit")) or "link", str(row["media"]))

    standing = _standing(package, [event_id])
    last = standing.iloc[0] if len(standing) else None
    return Card(
        id=event_id,
        title=rename.at(str(row["title"]), row["start"]),
        date_line=" · ".join(
            [
                str(row["date_label"]),
                f"date known to the {row['date_precision']}",
                CATEGORIES.get(str(row["category"]), str(row["category"])),
            ]
        ),
        summary=rename.at(_text(row.get("summary")), row["start"]),
        place=place,
        actors=tuple(rename.at(a, row["start"]) for a in _listed(row, "actors_list", "actors")),
        figures=figures_line(row),
        figures_note=rename.at(_text(row.get("figures_note")), row["start"]),
        arrived=arrived,
        media=media,
        sources=tuple(sources.cite(s) for s in _listed(row, "source_ids_list", "source_ids")),
        claims=_claims(package, event_id, sources),
        cautions=_cautions(row, last),
        unconfirmed=_unconfirmed(last),
        checked=_checked(last),
    )


WEAK_SOURCING = (
    "Rests only on sources without editorial responsibility (copies, aggregators, blogs or "
    "partisan sites): no page from a publisher with editorial responsibility was found."
)


def _page_checks(rows: pd.DataFrame) -> pd.DataFrame:
    """The checks that read the cited pages: a check that read no page can change a row but
    neither confirm it nor lift a `not_confirmed`."""
    return rows[~rows["method"].isin(NO_PAGE_METHODS)] if "method" in rows else rows


def _cautions(row: pd.Series, last: pd.Series | None) -> tuple[str, ...]:
    """`last`: the event's standing in the audit (a row of `_standing`), None if never read."""
    out = []
    if "has_editorial_source" in row.index and not bool(row["has_editorial_source"]):
        out.append(WEAK_SOURCING)
    if last is not None and last["result"] == "not_confirmed":
        when = _text(last.get("checked_on"))
        out.append(
            "Not confirmed by the pages read: the last reading of its pages"
            + (f" ({when})" if when else "")
            + " could not confirm every statement."
        )
    return tuple(out)


def _unconfirmed(last: pd.Series | None) -> str | None:
    if last is None or last["result"] != "not_confirmed":
        return None
    note = _text(last.get("note"))
    return CHECK_LABEL.sub("", note, count=1) if note else None


CHECK_LABEL = re.compile(
    r"^(?:(?:[\w'-]+ )?(?:pass|check|sample|reading|reader)\b[^:]{0,160}:\s+)+",
    re.IGNORECASE,
)
"""The name of the check an audit note opens with, in one part or two ("twentieth pass (strict
second reading): ", "Forty-third pass, flagged rows settled: second reading of the same day: ",
"Random sample (seed 20261229): "): the audit's own bookkeeping, left out where a reader sees
the note."""


def _checked(last: pd.Series | None) -> str | None:
    if last is None:
        return None
    result = str(last["result"]).replace("_", " ")
    when = _text(last.get("checked_on"))
    line = f"{result} against its sources" + (f" on {when}" if when else "")
    if last["reworded"]:
        day = _text(last.get("reworded_on"))
        line += "; reworded" + (f" on {day}" if day else "") + " without a new reading of the pages"
    shortened = _text(last.get("shortened_on"))
    if shortened:
        line += f"; shortened on {shortened} (statements taken out, nothing added)"
    return line


def audit_standing(package: Package) -> pd.DataFrame:
    """Each event's standing in the audit, as its card tells it: the result and date of its last
    check on its pages (`result`, `checked_on`), whether a desk check reworded it since
    (`reworded`) and whether a cut shortened it since (`shortened`). Indexed by event id; events
    with no check on their pages are absent."""
    standing = _standing(package)
    return standing[["result", "checked_on", "reworded"]].assign(
        shortened=standing["shortened_on"].notna()
    )


def _standing(
    package: Package, ids: Iterable[str] | None = None, table: str = "events"
) -> pd.DataFrame:
    """`audit_standing` of the rows `ids` of `table` (all when None), with the last reading's
    `note`, the day of the latest rewording since (`reworded_on`) and of the latest cut since
    (`shortened_on`), which the card shows. A cut takes statements out and adds none, so what is
    left is still what the last reading read: it does not count as a rewording."""
    columns = ["result", "checked_on", "note", "reworded", "reworded_on", "shortened_on"]
    rows = _in_order(package, table, ids)
    if rows is None:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="row_id"))
    if "note" not in rows:
        rows = rows.assign(note=None)
    last = _last_page_checks(rows)
    cut = rows["method"] == "cut" if "method" in rows else pd.Series(False, index=rows.index)
    last["reworded"], last["reworded_on"] = _changed_since(rows[~cut], last)
    _, last["shortened_on"] = _changed_since(rows[cut], last)
    return last[columns]


def _changed_since(rows: pd.DataFrame, last: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Whether each row of `last` was `corrected` by one of `rows` after its last reading, and
    the day of the latest such change (missing where none)."""
    corrected = rows[rows["result"] == "corrected"].groupby("row_id").tail(1).set_index("row_id")
    latest = corrected.reindex(last.index)
    since = latest["position"].notna() & (latest["position"] > last["position"])
    return since, latest["checked_on"].where(since)


def _in_order(
    package: Package, table: str, ids: Iterable[str] | None = None
) -> pd.DataFrame | None:
    """The audit rows of one table (of the rows `ids` only, when given) in the order the checks
    were made (by day; within a day, in file order), numbered by `position`; None when the
    audit cannot say. Keeping only some rows keeps their order, so each one's last check is
    the same as in the whole table."""
    audit = package.audit
    if audit.empty or not {"table", "row_id", "result"} <= set(audit.columns):
        return None
    keep = audit["table"] == table
    if ids is not None:
        keep &= audit["row_id"].isin(list(ids))
    rows = audit[keep]
    if "checked_on" in rows:
        rows = rows.sort_values("checked_on", kind="stable")
    else:
        rows = rows.assign(checked_on=None)
    return rows.assign(position=range(len(rows)))


def _last_page_checks(rows: pd.DataFrame) -> pd.DataFrame:
    """Each row's last check on its pages, indexed by row id."""
    return _page_checks(rows).groupby("row_id", sort=False).tail(1).set_index("row_id")


UNCONFIRMED_CLAIM = "not confirmed by the pages read"
REWORDED_CLAIM = "reworded since its page was last read"


def claim_flag(confirmed: bool, reworded: bool) -> str:
    """The italic note after a claim's source: empty for a claim its last reading confirmed or
    corrected and nobody reworded since."""
    marks = ([] if confirmed else [UNCONFIRMED_CLAIM]) + ([REWORDED_CLAIM] if reworded else [])
    return f" *({'; '.join(marks)})*" if marks else ""


@dataclass(frozen=True)
class ClaimChecks:
    """How a set of claims stands in the audit: the ids whose last check on their page is
    `not_confirmed`, and those a desk check reworded after that reading."""

    unconfirmed: frozenset[str] = frozenset()
    reworded: frozenset[str] = frozenset()

    def flag(self, claim_id: object) -> str:
        """The italic note after the claim's source (see `claim_flag`)."""
        return claim_flag(claim_id not in self.unconfirmed, claim_id in self.reworded)


def claim_checks(package: Package, ids: Iterable[str] | None = None) -> ClaimChecks:
    """`ClaimChecks` of the claims `ids` (all when None: a card or a page asks about the claims
    it shows), read from the audit once. In file order the later row of a day wins, as for
    events."""
    standing = _standing(package, ids, "claims")
    return ClaimChecks(
        unconfirmed=frozenset(standing.index[standing["result"] == "not_confirmed"]),
        reworded=frozenset(standing.index[standing["reworded"].astype(bool)]),
    )


def unconfirmed_claims(package: Package, ids: Iterable[str] | None = None) -> frozenset[str]:
    """Ids of the claims (of `ids` only, when given) whose last check on their pages is
    `not_confirmed`."""
    return claim_checks(package, ids).unconfirmed


def reworded_claims(package: Package, ids: Iterable[str] | None = None) -> frozenset[str]:
    """Ids of the claims (of `ids` only, when given) that a desk check reworded after the last
    reading of their page, as the card says of an event."""
    return claim_checks(package, ids).reworded


def _claims(
    package: Package, event_id: str, sources: _Sources
) -> tuple[tuple[str, tuple[Claim, ...]], ...]:
    claims = package.claims
    if claims.empty:
        return ()
    rows = claims[claims["event_id"] == event_id]
    ids = rows["id"] if "id" in rows else pd.Series("", index=rows.index)
    checks = claim_checks(package, ids) if len(rows) else ClaimChecks()
    out = []
    for side in PERSPECTIVES:
        mine = rows[rows["perspective"] == side]
        if len(mine):
            out.append(
                (
                    PERSPECTIVES[side],
                    tuple(
                        Claim(
                            str(c.claimant),
                            str(c.claim),
                            sources.cite(str(c.source_id)),
                            confirmed=str(claim_id) not in checks.unconfirmed,
                            reworded=str(claim_id) in checks.reworded,
                        )
                        for c, claim_id in zip(
                            mine.itertuples(index=False), ids[mine.index], strict=True
                        )
                    ),
                )
            )
    return tuple(out)
