"""The bundled data package: valid, cited, sourced, covering every period on every side.

Only this file reads data/; the code tests run on tests/fixture_data.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pandas as pd
import pytest

from timeline import load, schema, sourcing, stats
from timeline.schema import parse_partial

from .conftest import ROOT


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


# A person or a state body in `actors` stands beside the state it acts for, so that the actor
# filter's "Armenia" or "Azerbaijan" finds every event where that state's leaders act.
ACTS_FOR = {
    "Nikol Pashinyan": "Armenia",
    "Ararat Mirzoyan": "Armenia",
    "Mher Grigoryan": "Armenia",
    "Gevorg Papoyan": "Armenia",
    "Investigative Committee of Armenia": "Armenia",
    "Ilham Aliyev": "Azerbaijan",
    "Jeyhun Bayramov": "Azerbaijan",
    "Shahin Mustafayev": "Azerbaijan",
    "Baku Military Court": "Azerbaijan",
    "Central Election Commission of Azerbaijan": "Azerbaijan",
    "State Committee for Refugees and IDPs of Azerbaijan": "Azerbaijan",
    "Donald Trump": "United States",
    "JD Vance": "United States",
}


def test_a_leader_or_state_body_is_listed_with_its_state(package):
    missing = [
        (row.id, name, state)
        for row in package.events.itertuples()
        for name, state in ACTS_FOR.items()
        if name in row.actors_list and state not in row.actors_list
    ]
    assert not missing, missing


def test_violence_against_civilians_names_the_civilians_who_suffered_it(package):
    """The actor filter finds a killing or a shelling under the civilians it struck."""
    violence = package.events[package.events["category"] == "violence_against_civilians"]
    missing = [
        (row.id, row.actors)
        for row in violence.itertuples()
        if not any(actor.endswith(" civilians") for actor in row.actors_list)
    ]
    assert not missing, missing


# A full stop after an initial ("A. Jamalyan") or in a case name ("Chiragov v. Armenia") does
# not end a sentence.
SENTENCE_BREAK = re.compile(r"(?<![\s(][A-Z])(?<!\sv)[.!?][\"”)]?\s+(?=[A-Z\"“(])")


def test_every_summary_runs_two_to_four_sentences(package):
    """data/README promises a card summary of two to four sentences."""
    sentences = package.events.set_index("id")["summary"].map(
        lambda text: len(SENTENCE_BREAK.split(text.strip()))
    )
    outside = sentences[(sentences < 2) | (sentences > 4)]
    assert outside.to_dict() == {}


def test_public_text_names_outlets_not_source_ids(package):
    """The card prints title, summary, figures note and claims to readers: a page is named there
    by its outlet ("Today.az"), never by the internal id of its row in sources.csv."""
    ids = set(package.sources["id"])
    events = package.events.set_index("id")
    found = {
        (event_id, field): sorted(set(re.findall(r"[a-z0-9][a-z0-9-]{5,}", text)) & ids)
        for field in ("title", "summary", "figures_note")
        for event_id, text in events[field].fillna("").items()
    }
    claims = package.claims.set_index("id")
    found |= {
        (claim_id, field): sorted(set(re.findall(r"[a-z0-9][a-z0-9-]{5,}", text)) & ids)
        for field in ("claimant", "claim")
        for claim_id, text in claims[field].fillna("").items()
    }
    assert {key: hits for key, hits in found.items() if hits} == {}


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


def test_schema_vocabularies_match_the_readme():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for word in [*schema.CATEGORIES, *schema.PERSPECTIVES, *schema.SOURCE_KINDS, *schema.MEASURES]:
        assert f"`{word}`" in readme, word


def test_validate_command_passes_on_the_bundled_data():
    result = subprocess.run(
        [sys.executable, "-m", "timeline", "validate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("data/: valid (")
    assert "sources by publisher type: " in result.stdout


def test_every_event_rests_on_an_editorial_source_or_says_it_does_not(package):
    assert schema.SOURCING_RULE in ("declared", "error")
    weak = package.events[~package.events["has_editorial_source"]]
    assert sourcing.declared(weak).all()
    assert len(package.warnings) == len(weak)
    kinds = sourcing.publisher_type_of_sources(package.sources, package.publishers)
    assert sourcing.UNREGISTERED not in set(kinds)


def test_every_source_in_the_register_is_cited_by_some_row(package):
    assert package.uncited_sources() == []


def test_every_audit_row_names_a_row_that_exists(package):
    ids = {
        "events": set(package.events["id"]),
        "claims": set(package.claims.get("id", pd.Series(dtype="str"))),
        "sources": set(package.sources["id"]),
        "publishers": set(package.publishers.get("id", pd.Series(dtype="str"))),
        **{
            table: load.audit_keys(getattr(package, table), columns)
            for table, columns in schema.AUDIT_KEYS.items()
        },
    }
    audit = package.audit
    gone = set(
        zip(
            audit["table"][audit["result"] == "removed"],
            audit["row_id"][audit["result"] == "removed"],
            strict=True,
        )
    )
    for table, row_id, result in zip(audit["table"], audit["row_id"], audit["result"], strict=True):
        # a row taken out after its check is recorded as removed and is no longer served;
        # the checks made before it was taken out stay as its history
        if result == "removed":
            assert row_id not in ids[table], (table, row_id, result)
        else:
            assert row_id in ids[table] or (table, row_id) in gone, (table, row_id, result)


def test_the_readme_counts_are_those_of_the_data(package):
    """data/README.md's counts line and events-per-year table are what the data holds
    (`python scripts/readme_counts.py` writes them)."""
    spec = importlib.util.spec_from_file_location(
        "readme_counts", ROOT / "scripts" / "readme_counts.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert module.render(readme, package) == readme, "run: python scripts/readme_counts.py"


def test_every_event_falls_in_an_era(package):
    """An event before the first era or between two eras lands in an 'Other' row of the
    era charts (the Baku March days of 1918 once did)."""
    era = stats.era_of(package.events["start"], package.eras)
    outside = package.events.loc[era == "Other", "id"]
    assert outside.empty, outside.tolist()


def test_every_sample_in_the_app_is_in_the_readme_table_with_the_same_count(package):
    """The Sources page reads data/samples.csv; data/README.md describes each sample in its
    table. A sample added to one and not the other, or counted differently, fails here."""
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip(): line
        for line in readme.splitlines()
        if re.match(r"^\| 2026\d{4} \|", line)
    }
    assert len(package.samples) >= 8
    for sample in package.samples.itertuples(index=False):
        row = rows.get(str(sample.seed))
        assert row is not None, f"seed {sample.seed} is not in data/README.md's samples table"
        last = row.rstrip(" |").split("|")[-1]
        assert f"{sample.events_with_error} of {sample.events_read}" in last, row


def test_a_sample_draw_can_be_repeated_from_its_seed(package):
    """`python scripts/draw_sample.py SEED` prints the 36 events a sample reads: the same
    events for the same seed, all of them in events.csv, none twice."""
    script = ROOT / "scripts" / "draw_sample.py"
    runs = [
        subprocess.run(
            [sys.executable, str(script), seed], capture_output=True, text=True, check=True
        ).stdout.split()
        for seed in ("20261236", "20261236", "20261237")
    ]
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert len(set(runs[0])) == 36
    assert set(runs[0]) <= set(package.events["id"])
    bad = subprocess.run([sys.executable, str(script), "x"], capture_output=True, text=True)
    assert bad.returncode == 2 and "usage" in bad.stderr
    too_many = subprocess.run(
        [sys.executable, str(script), "1", "100000"], capture_output=True, text=True
    )
    assert too_many.returncode == 2 and "fewer" in too_many.stderr
    assert "Traceback" not in too_many.stderr
