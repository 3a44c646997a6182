"""The sourcing rule: every event cites at least one publisher with editorial responsibility.

A mirror, an aggregator, a blog or an anonymous site is where a text was read, not who said it
(the practice of Wikipedia's list of perennial sources). A source with no `publisher_id`, or
one not in publishers.csv, counts as unregistered: not editorial.
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from timeline import schema
from timeline.csv_reader import Problem

UNREGISTERED = "unregistered"
SPEAKS_OFFICIALLY = ("government", "intergovernmental")


def publisher_type_of_sources(sources: pd.DataFrame, publishers: pd.DataFrame) -> pd.Series:
    """Source id -> its publisher's type, or 'unregistered'."""
    if sources.empty or "id" not in sources:
        return pd.Series(dtype="str")
    types = (
        publishers.drop_duplicates("id").set_index("id")["type"]
        if {"id", "type"} <= set(publishers.columns)
        else pd.Series(dtype="str")
    )
    publisher = sources.get("publisher_id", pd.Series(pd.NA, index=sources.index, dtype="str"))
    kind = publisher.map(types)
    return pd.Series(kind.fillna(UNREGISTERED).to_numpy(), index=sources["id"], dtype="str")


def unsupported(
    events: pd.DataFrame,
    sources: pd.DataFrame,
    publishers: pd.DataFrame,
    lines: dict[str, int],
    name: str = "data/events.csv",
) -> list[Problem]:
    """One problem per event whose sources all lack editorial responsibility, naming each
    cited source with its publisher's type."""
    kinds = publisher_type_of_sources(sources, publishers).to_dict()
    problems = []
    weak = events.loc[~events["has_editorial_source"].astype(bool)]
    for event_id, cited in zip(weak["id"], weak["source_ids_list"], strict=True):
        detail = "; ".join(f"{s}: {kinds.get(s, 'not in sources.csv')}" for s in cited)
        problems.append(
            Problem(
                name,
                lines.get(event_id, 1),
                "source_ids",
                "rests only on sources without editorial responsibility"
                + (f" ({detail})" if detail else ""),
            )
        )
    return sorted(problems, key=lambda p: p.line)


def declared(events: pd.DataFrame) -> pd.Series:
    """Events whose own note says that no source with editorial responsibility was found."""
    note = events.get("figures_note", pd.Series("", index=events.index, dtype="str"))
    return note.fillna("").astype(str).str.contains(schema.WEAK_DECLARATION, regex=False)


def apply_rule(
    events: pd.DataFrame,
    sources: pd.DataFrame,
    publishers: pd.DataFrame,
    lines: dict[str, int],
) -> tuple[pd.DataFrame, list[Problem], list[Problem]]:
    """(events served, problems, warnings) under schema.SOURCING_RULE: the events refused
    are problems, the weak events kept are warnings."""
    weak = ~events["has_editorial_source"].astype(bool)
    refused = pd.Series(False, index=events.index)
    if schema.SOURCING_RULE == "error":
        refused = weak
    elif schema.SOURCING_RULE == "declared":
        refused = weak & ~declared(events)
    problems = unsupported(events[refused], sources, publishers, lines)
    warnings = unsupported(events[weak & ~refused], sources, publishers, lines)
    return events[~refused].reset_index(drop=True), problems, warnings


def register_problems(
    sources: pd.DataFrame, publishers: pd.DataFrame, lines: dict[str, dict[str, int]]
) -> list[Problem]:
    """The register's own rules, one problem per row that breaks one:
    - a domain belongs to one publisher (two rows for one publisher split its sources);
    - an address is one source (two rows for one page split what it supports; once they gave
      a 2000 report a 2005 date);
    - a page is on one of its publisher's domains (else the card credits the wrong site);
    - `kind` = official is a government's or an intergovernmental body's own page: the same
      text on a news agency's, a think tank's or a mirror's site is a copy.
    `lines` maps each file name to {row id: line}."""
    problems: list[Problem] = []

    def line(file: str, row_id: str) -> int:
        return lines.get(file, {}).get(row_id, 1)

    def flag(file: str, row_id: str, column: str, message: str) -> None:
        problems.append(Problem(f"data/{file}", line(file, row_id), column, message))

    if {"id", "domains"} <= set(publishers.columns):
        owner: dict[str, str] = {}
        for publisher, domains in zip(
            publishers["id"], publishers["domains"].fillna(""), strict=True
        ):
            for domain in _domains(domains):
                first = owner.setdefault(domain, publisher)
                if first != publisher:
                    flag(
                        "publishers.csv",
                        publisher,
                        "domains",
                        f"{domain} is already registered to {first!r} "
                        f"(line {line('publishers.csv', first)})",
                    )
    if {"id", "url"} <= set(sources.columns):
        seen: dict[str, str] = {}
        for source, address in zip(sources["id"], _address(sources["url"]), strict=True):
            first = seen.setdefault(address, source) if address else source
            if first != source:
                flag(
                    "sources.csv",
                    source,
                    "url",
                    f"the same page as source {first!r} (line {line('sources.csv', first)}): "
                    "record a page once",
                )
    if {"id", "url", "publisher_id"} <= set(sources.columns) and "domains" in publishers:
        domains = publishers.drop_duplicates("id").set_index("id")["domains"].fillna("")
        for source, url, publisher in zip(
            sources["id"], sources["url"], sources["publisher_id"], strict=True
        ):
            if not isinstance(url, str) or not url.strip() or publisher not in domains.index:
                continue  # no address, or no registered publisher (a schema problem already)
            listed = _domains(domains[publisher])
            if not any(_on_domain(url, domain) for domain in listed):
                flag(
                    "sources.csv",
                    source,
                    "url",
                    f"not on a domain of publisher {publisher!r} "
                    f"({'; '.join(listed) or 'it lists none'}): "
                    "add the domain to its row, or name the site that shows the page",
                )
    if {"id", "kind"} <= set(sources.columns):
        types = publisher_type_of_sources(sources, publishers)
        official = (sources["kind"] == "official").to_numpy()
        for source, kind in types[official & ~types.isin(SPEAKS_OFFICIALLY).to_numpy()].items():
            flag(
                "sources.csv",
                str(source),
                "kind",
                "'official' is for a government's or an intergovernmental body's own page "
                f"(this publisher is {kind})",
            )
    return sorted(problems, key=lambda p: (p.file, p.line))


def _domains(listed: object) -> list[str]:
    """A publisher row's `;`-separated domains, each as compared, once each."""
    return list(dict.fromkeys(_domain(d) for d in str(listed).split(";") if d.strip()))


def _domain(text: str) -> str:
    """A register domain or a host as compared: lower case, without port, final dot or "www."."""
    host, slash, path = text.strip().lower().partition("/")
    return host.partition(":")[0].rstrip(".").removeprefix("www.") + slash + path


def _on_domain(url: str, domain: str) -> bool:
    """Whether a page's address is on a register domain ("rferl.org", or with a path, as
    "medium.com/dfrlab"); a subdomain counts ("en.azvision.az" is on "azvision.az")."""
    host, _, path = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.I).partition("/")
    host = _domain(host.rpartition("@")[2])
    where, _, under = domain.partition("/")
    on_host = host == where or host.endswith("." + where)
    return on_host and (not under or f"{path}/".startswith(f"{under}/"))


def _address(urls: pd.Series) -> pd.Series:
    """A page's address with its scheme, a leading "www." and a trailing slash set aside."""
    return (
        urls.fillna("")
        .astype(str)
        .str.strip()
        .str.rstrip("/")
        .str.replace(r"^https?://(www\.)?", "", regex=True)
    )


def counts_by_type(
    events: pd.DataFrame, sources: pd.DataFrame, publishers: pd.DataFrame
) -> tuple[Counter[str], Counter[str]]:
    """(sources per publisher type, events citing at least one source of each type)."""
    kinds = publisher_type_of_sources(sources, publishers)
    by_source: Counter[str] = Counter(kinds.tolist())
    lookup = kinds.to_dict()
    by_event: Counter[str] = Counter()
    for cited in events["source_ids_list"]:
        by_event.update({lookup.get(s, UNREGISTERED) for s in cited})
    return by_source, by_event


def describe(counts: Counter[str]) -> str:
    return ", ".join(f"{kind} {n:,}" for kind, n in counts.most_common()) or "none"


def audit_coverage(package_tables: dict[str, pd.DataFrame], audit: pd.DataFrame) -> str:
    """'events 410 of 593 checked, claims 134 of 819 checked; results: confirmed 376, ...'."""
    parts = []
    for table, rows in package_tables.items():
        if "id" not in rows:
            continue
        done = set(audit.loc[audit["table"] == table, "row_id"]) if len(audit) else set()
        parts.append(f"{table} {len(done & set(rows['id'])):,} of {len(rows):,} checked")
    results = Counter(audit["result"].tolist()) if len(audit) else Counter()
    line = ", ".join(parts) + f"; results: {describe(results)}"
    if len(audit) and "method" in audit:
        no_page = int(audit["method"].isin(schema.NO_PAGE_METHODS).sum())
        line += f"; checks that read no page: {no_page:,}"
    return line
