"""The bundled package: valid, cited, covering every period; and the schema's messages."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from timeline import load, schema, stats
from timeline.schema import parse_partial

from .conftest import FIXTURE_DATA, ROOT


def test_bundled_package_validates(package):
    assert package.problems == []


def test_size_of_the_package(package):
    assert len(package.events) >= 250
    contested = package.claims.groupby("event_id")["perspective"].nunique()
    assert (contested >= 2).sum() >= 40


def test_every_citation_and_place_resolves(package):
    source_ids = set(package.sources["id"])
    cited = package.events["source_ids"].str.split(";").explode().str.strip()
    assert cited.notna().all() and (cited != "").all()
    assert set(cited) <= source_ids
    assert set(package.claims["source_id"]) <= source_ids
    assert set(package.displacement["source_id"]) <= source_ids
    places = package.events["place_id"].dropna()
    assert set(places) <= set(package.places["place_id"])


def test_every_url_is_web_address(package):
    urls = package.sources["url"].dropna()
    assert urls.str.match(r"^https?://").all()


@pytest.mark.parametrize(
    "start,end,minimum",
    [
        ("1918", "1923", 10),  # republics, war, Sovietization, Kavbiuro, NKAO
        ("1924", "1987", 5),  # the Soviet decades
        ("1988", "1991", 25),  # the movement, Sumgait, Baku, referendums
        ("1992", "1994", 25),  # the first war
        ("1995", "2020-09-26", 20),  # Minsk Group years, April 2016
        ("2020-09-27", "2020-11-10", 15),  # the 2020 war
        ("2022-12-12", "2023-09-18", 30),  # the blockade
        ("2023-09-19", "2023-10-05", 20),  # offensive and exodus, day by day
    ],
)
def test_every_period_is_covered(package, start, end, minimum):
    lo = parse_partial(pd.Series([start]))[0].iloc[0]
    hi = parse_partial(pd.Series([end]))[1].iloc[0]
    events = package.events
    assert ((events["start"] >= lo) & (events["start"] <= hi)).sum() >= minimum


def test_blockade_has_events_every_month(package):
    ev = package.events
    months = pd.period_range("2022-12", "2023-09", freq="M")
    per_month = ev[ev["date_precision"] == "day"]["start"].dt.to_period("M").value_counts()
    assert all(per_month.get(m, 0) >= 2 for m in months)


def test_suffering_on_every_side_is_recorded(package):
    actors = package.events["actors"].fillna("")
    assert actors.str.contains("Armenian civilians").sum() >= 5
    assert actors.str.contains("Azerbaijani civilians").sum() >= 5
    waves = stats.waves(package.displacement)["group"].str.lower()
    assert waves.str.contains("azerbaijanis from armenia").any()
    assert waves.str.contains("armenians from azerbaijan").any()


def test_arrivals_have_a_figure_every_day_of_the_exodus(package):
    rows = stats.arrivals(package.displacement)
    days = set(rows["when"].dt.normalize())
    for day in pd.date_range("2023-09-24", "2023-10-03"):
        assert day in days, f"no arrivals figure for {day.date()}"


def test_pre_offensive_population_estimates_differ(package):
    pop = stats.population_estimates(package.displacement)
    recent = pop[pop["date"] >= "2023"]
    assert recent["value"].nunique() >= 2
    assert recent["source_id"].nunique() >= 2


def test_seeds_are_sources(package):
    seeds = package.sources[package.sources["id"].str.startswith("seed-")]
    assert len(seeds) >= 5
    perspectives = set(seeds["perspective"])
    assert {"armenian", "azerbaijani", "international"} <= perspectives


LOADED = re.compile(
    r"\b(genocid\w*|terroris\w*|puppet|sham|occupied|occupation|liberat\w*|separatists?|"
    r"ethnic cleansing|aggression)\b",
    re.I,
)
ATTRIBUTION = re.compile(
    r"\b(call\w*|describ\w*|term\w*|label\w*|says?|said|accus\w*|claim\w*|den\w*|"
    r"characteri[sz]\w*|brand\w*|view\w*|according|argu\w*|warn\w*|condemn\w*|"
    r"alleg\w*|charg\w*|report\w*|name\w*|refer\w*|regard\w*|consider\w*|recogni[sz]\w*)\b",
    re.I,
)


def test_loaded_terms_in_events_are_attributed(package):
    """A side's loaded word appears in an event only quoted or in a sentence saying who uses it."""
    offenders = []
    events = package.events
    for event_id, text in zip(
        events["id"], events["title"] + ". " + events["summary"], strict=True
    ):
        for sentence in re.split(r"(?<=[.;:])\s+", text):
            bare = re.sub(r"[\"“][^\"”]*[\"”]", "", sentence)
            if LOADED.search(bare) and not ATTRIBUTION.search(sentence):
                offenders.append((event_id, sentence))
    assert offenders == []


@pytest.mark.parametrize(
    "value,ok",
    [
        ("1918", True),
        ("1988-02", True),
        ("2023-09-25", True),
        ("2023-02-30", False),
        ("1988-13", False),
        ("88", False),
        ("2023/09/25", False),
        ("", True),
    ],
)
def test_partial_dates(value, ok):
    first, last = parse_partial(pd.Series([value]))
    assert first.notna().iloc[0] == (ok and value != "")


def test_partial_date_spans():
    first, last = parse_partial(pd.Series(["1988-02", "1918"]))
    assert (first.dt.strftime("%Y-%m-%d").tolist(), last.dt.strftime("%Y-%m-%d").tolist()) == (
        ["1988-02-01", "1918-01-01"],
        ["1988-02-29", "1918-12-31"],
    )


def _copy_data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def test_broken_citation_is_reported_with_line_and_column(tmp_path):
    data = _copy_data(tmp_path)
    events = (data / "events.csv").read_text(encoding="utf-8").splitlines()
    header = events[0].split(",")
    assert header.index("source_ids") > 0
    lines = events[:]
    target_line = 5
    first_id = pd.read_csv(data / "events.csv", dtype=str)["source_ids"].iloc[target_line - 2]
    lines[target_line - 1] = lines[target_line - 1].replace(first_id, "no-such-source")
    (data / "events.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = [str(p) for p in load.load_package(data).problems]
    assert any(
        p.startswith(f"data/events.csv:{target_line}: source_ids: cites a source id")
        for p in problems
    ), problems


def test_claim_on_unknown_event_and_bad_coordinates(tmp_path):
    data = _copy_data(tmp_path)
    with open(data / "claims.csv", "a", encoding="utf-8") as f:
        f.write(
            "no-such-event,armenian,Someone,A claim long enough to pass,"
            + pd.read_csv(data / "sources.csv")["id"].iloc[0]
            + "\n"
        )
    places = (data / "places.csv").read_text(encoding="utf-8").splitlines()
    places.append("nowhere,Nowhere,Nowhere,Nowhere,95.0,46.0")
    (data / "places.csv").write_text("\n".join(places) + "\n", encoding="utf-8")
    problems = [str(p) for p in load.load_package(data).problems]
    n_claims = len((data / "claims.csv").read_text(encoding="utf-8").splitlines())
    assert any(p.startswith(f"data/claims.csv:{n_claims}: event_id:") for p in problems), problems
    assert any(p.startswith(f"data/places.csv:{len(places)}: lat:") for p in problems), problems


def test_vocabularies_are_enforced_in_bundled_events(tmp_path):
    data = _copy_data(tmp_path)
    frame = pd.read_csv(data / "events.csv", dtype=str, keep_default_na=False)
    frame.loc[2, "category"] = "battle"
    frame.loc[3, "end_date"] = "1900"
    frame.to_csv(data / "events.csv", index=False)
    problems = [str(p) for p in load.load_package(data).problems]
    assert any(
        p.startswith("data/events.csv:4: category: category must be one of") for p in problems
    )
    assert any(p.startswith("data/events.csv:5: end_date: end_date is before") for p in problems)


def test_schema_vocabularies_match_the_readme():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for word in [*schema.CATEGORIES, *schema.PERSPECTIVES, *schema.SOURCE_KINDS, *schema.MEASURES]:
        assert f"`{word}`" in readme, word


def _copy_fixture(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


def test_empty_publishers_and_audit_tables_are_valid(tmp_path):
    data = _copy_fixture(tmp_path)
    for name in ("publishers.csv", "audit.csv"):
        header = (data / name).read_text(encoding="utf-8").splitlines()[0]
        (data / name).write_text(header + "\n", encoding="utf-8")
    sources = pd.read_csv(data / "sources.csv", dtype=str)
    sources[["publisher_id", "original_publisher_id"]] = None
    sources.to_csv(data / "sources.csv", index=False)
    package = load.load_package(data)
    assert package.problems == []
    assert package.publishers.empty and package.audit.empty
    assert not package.events["has_editorial_source"].any()


def test_publishers_and_audit_are_checked(tmp_path):
    data = _copy_fixture(tmp_path)
    with open(data / "publishers.csv", "a", encoding="utf-8") as f:
        f.write("reuters,Reuters again,reuters.com,wire,maybe,GB,,\n")
    with open(data / "audit.csv", "a", encoding="utf-8") as f:
        f.write("events,no-such-event,2026-11-22,confirmed,\n")
        f.write("claims,1926-census-nkao.1,2026-11-22,checked,\n")
    problems = [str(p) for p in load.load_package(data).problems]
    n_pub = len((data / "publishers.csv").read_text(encoding="utf-8").splitlines())
    n_audit = len((data / "audit.csv").read_text(encoding="utf-8").splitlines())
    assert f"data/publishers.csv:{n_pub}: id: duplicate id 'reuters'" in problems
    assert any(
        p.startswith(f"data/publishers.csv:{n_pub}: type: type must be one of") for p in problems
    )
    assert any(
        p.startswith(f"data/publishers.csv:{n_pub}: editorial: editorial must be yes or no")
        for p in problems
    )
    assert any(
        p.startswith(f"data/audit.csv:{n_audit - 1}: row_id: row_id is not an id") for p in problems
    )
    assert any(
        p.startswith(f"data/audit.csv:{n_audit}: result: result must be one of") for p in problems
    )
    package = load.load_package(data)
    assert list(package.publishers["id"]).count("reuters") == 1  # only valid rows are served
    assert "no-such-event" not in set(package.audit["row_id"])


def test_a_source_naming_an_unregistered_publisher_is_named(tmp_path):
    data = _copy_fixture(tmp_path)
    sources = pd.read_csv(data / "sources.csv", dtype=str)
    sources.loc[3, "publisher_id"] = "nobody"
    sources.to_csv(data / "sources.csv", index=False)
    problems = [str(p) for p in load.load_package(data).problems]
    assert problems == [
        "data/sources.csv:5: publisher_id: not an id in publishers.csv (got 'nobody')"
    ]


def test_a_repeated_event_id_is_served_once_with_its_message(tmp_path):
    data = _copy_fixture(tmp_path)
    lines = (data / "events.csv").read_text(encoding="utf-8").splitlines()
    lines.append(lines[3])
    (data / "events.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    package = load.load_package(data)
    repeated = pd.read_csv(data / "events.csv", dtype=str)["id"].iloc[2]
    assert [str(p) for p in package.problems] == [
        f"data/events.csv:{len(lines)}: id: duplicate id {repeated!r}"
    ]
    assert package.events["id"].is_unique
    assert len(package.events) == len(lines) - 2
