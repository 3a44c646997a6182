"""The schema's messages, on copies of the fixture package with one slip each."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from timeline import load, schema, sourcing
from timeline.schema import parse_partial

from .conftest import FIXTURE_DATA


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


def _copy_fixture(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


def test_broken_citation_is_reported_with_line_and_column(tmp_path):
    data = _copy_fixture(tmp_path)
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
    data = _copy_fixture(tmp_path)
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


def test_vocabularies_are_enforced_in_the_package_events(tmp_path):
    data = _copy_fixture(tmp_path)
    frame = pd.read_csv(data / "events.csv", dtype=str, keep_default_na=False)
    frame.loc[2, "category"] = "battle"
    frame.loc[3, "end_date"] = "1900"
    frame.to_csv(data / "events.csv", index=False)
    problems = [str(p) for p in load.load_package(data).problems]
    assert any(
        p.startswith("data/events.csv:4: category: category must be one of") for p in problems
    )
    assert any(p.startswith("data/events.csv:5: end_date: end_date is before") for p in problems)


def test_empty_publishers_and_audit_tables_are_valid(tmp_path, monkeypatch):
    # with no register every event lacks an editorial source; the rule is tested elsewhere
    monkeypatch.setattr(schema, "SOURCING_RULE", "warn")
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
        f.write("no-such-event,events,2026-11-22,confirmed,pages,\n")
        f.write("1926-census-nkao.1,claims,2026-11-22,checked,pages,\n")
        f.write("1926-census-nkao,events,2026-11-22,removed,pages,\n")
        f.write("1926-census-nkao,events,2026-11-22,confirmed,memory,\n")
        f.write("an-event-taken-out,events,2026-11-20,confirmed,pages,read before it went\n")
        f.write("an-event-taken-out,events,2026-11-22,removed,pages,no page confirmed it\n")
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
        p.startswith(f"data/audit.csv:{n_audit - 5}: row_id: row_id is not an id") for p in problems
    )
    assert any(
        p.startswith(f"data/audit.csv:{n_audit - 4}: result: result must be one of")
        for p in problems
    )
    assert any(
        p.startswith(f"data/audit.csv:{n_audit - 3}: row_id: marked removed but still in")
        for p in problems
    )
    assert any(
        p.startswith(f"data/audit.csv:{n_audit - 2}: method: method must be one of: pages, desk")
        for p in problems
    )
    # the check made before an event was taken out stays as its history, and so does the removal
    assert not any(p.startswith(f"data/audit.csv:{n_audit - 1}:") for p in problems)
    assert not any(p.startswith(f"data/audit.csv:{n_audit}:") for p in problems)
    package = load.load_package(data)
    assert list(package.publishers["id"]).count("reuters") == 1  # only valid rows are served
    assert "no-such-event" not in set(package.audit["row_id"])


def _register_problems(data):
    return [str(p) for p in load.load_package(data).problems]


def test_a_domain_registered_to_two_publishers_is_named(tmp_path):
    data = _copy_fixture(tmp_path)
    publishers = pd.read_csv(data / "publishers.csv", dtype=str)
    twin = publishers.iloc[[0]].assign(id="caucasian-knot-2", domains="www.KavKaz-Uzel.eu")
    pd.concat([publishers, twin]).to_csv(data / "publishers.csv", index=False)
    line = len(publishers) + 2
    assert _register_problems(data) == [
        f"data/publishers.csv:{line}: domains: kavkaz-uzel.eu is already registered to "
        "'caucasian-knot' (line 2)"
    ]


def test_one_page_recorded_as_two_sources_is_named(tmp_path):
    data = _copy_fixture(tmp_path)
    sources = pd.read_csv(data / "sources.csv", dtype=str)
    first = sources.iloc[0]
    assert first["url"].startswith("https://www.")
    again = sources.iloc[[0]].assign(
        id="zz-same-page", url="http://" + first["url"].removeprefix("https://www.") + "/"
    )
    pd.concat([sources, again]).to_csv(data / "sources.csv", index=False)
    assert _register_problems(data) == [
        f"data/sources.csv:{len(sources) + 2}: url: the same page as source {first['id']!r} "
        "(line 2): record a page once"
    ]


def test_official_on_a_newspaper_page_is_named(tmp_path):
    data = _copy_fixture(tmp_path)
    sources = pd.read_csv(data / "sources.csv", dtype=str)
    publishers = pd.read_csv(data / "publishers.csv", dtype=str).set_index("id")
    row = sources.index[sources["publisher_id"].map(publishers["type"]) == "newspaper"][0]
    sources.loc[row, "kind"] = "official"
    sources.to_csv(data / "sources.csv", index=False)
    assert _register_problems(data) == [
        f"data/sources.csv:{row + 2}: kind: 'official' is for a government's or an "
        "intergovernmental body's own page (this publisher is newspaper)"
    ]


def test_a_page_on_another_site_than_its_publisher_is_named(tmp_path):
    data = _copy_fixture(tmp_path)
    sources = pd.read_csv(data / "sources.csv", dtype=str)
    row = sources.index[sources["publisher_id"] == "acaps"][0]
    sources.loc[row, "url"] = "https://reprints.example/acaps-blockade"
    sources.to_csv(data / "sources.csv", index=False)
    assert _register_problems(data) == [
        f"data/sources.csv:{row + 2}: url: not on a domain of publisher 'acaps' (acaps.org): "
        "add the domain to its row, or name the site that shows the page"
    ]


@pytest.mark.parametrize(
    ("url", "domains", "on"),
    [
        ("https://en.azvision.az/news/1.html", "azvision.az", True),
        ("http://WWW.Acaps.org./special-report/x", "acaps.org", True),
        ("https://the-uncensored-wiki.com:20161/x", "the-uncensored-wiki.com:20161", True),
        ("https://medium.com/dfrlab/hadrut-1", "medium.com/dfrlab;atlanticcouncil.org", True),
        ("https://medium.com/someone-else/post", "medium.com/dfrlab", False),
        ("https://notacaps.org/x", "acaps.org", False),
        ("https://acaps.org.example.net/x", "acaps.org", False),
    ],
)
def test_a_page_is_on_its_publishers_domain_or_a_subdomain(url, domains, on):
    sources = pd.DataFrame({"id": ["s"], "url": [url], "publisher_id": ["p"], "kind": ["news"]})
    publishers = pd.DataFrame({"id": ["p"], "domains": [domains], "type": ["newspaper"]})
    found = sourcing.register_problems(sources, publishers, {})
    assert (found == []) == on, found


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


def test_samples_are_checked_and_a_bad_row_is_named(tmp_path):
    data = _copy_fixture(tmp_path)
    with open(data / "samples.csv", "a", encoding="utf-8") as f:
        f.write("103,all events,standard,1,36,37,0,\n")
        f.write("104,all events,lenient,1,36,4,0,\n")
        f.write("105,all events,standard,1,36,4,5,\n")
        f.write("106,all events,standard,one,36,4,0,\n")
    package = load.load_package(data)
    problems = [str(p) for p in package.problems]
    n = len((data / "samples.csv").read_text(encoding="utf-8").splitlines())
    assert any(
        p.startswith(f"data/samples.csv:{n - 3}: events_with_error: more events with an error")
        for p in problems
    ), problems
    assert any(
        p.startswith(f"data/samples.csv:{n - 2}: rule: rule must be one of") for p in problems
    )
    assert any(
        p.startswith(f"data/samples.csv:{n - 1}: events_plain_error: more plain errors")
        for p in problems
    )
    assert any(p.startswith(f"data/samples.csv:{n}: readers: not a whole number") for p in problems)
    served = package.samples
    assert served["seed"].tolist() == [101, 102]  # the refused rows are not served
