"""Figures the pages show, computed in stats (no Streamlit), on the package built in test_card."""

from __future__ import annotations

import pandas as pd

from timeline import stats

from .test_card import package


def test_bibliography_counts_the_events_and_claims_of_each_source():
    pkg = package()
    table = stats.bibliography(pkg.events, pkg.sources, pkg.claims).set_index("id")
    assert table.loc["agency-1", "events"] == 1 and table.loc["agency-1", "claims"] == 1
    assert table.loc["copy-1", "events"] == 1 and table.loc["copy-1", "claims"] == 1
    spaced = pkg.events.assign(source_ids=[" agency-1 ; copy-1", "agency-1"])
    spaced = spaced.drop(columns=[c for c in ("source_ids_list",) if c in spaced])
    table = stats.bibliography(spaced, pkg.sources, pkg.claims.iloc[0:0]).set_index("id")
    assert table["events"].to_dict() == {"agency-1": 2, "copy-1": 1}
    assert table["claims"].to_dict() == {"agency-1": 0, "copy-1": 0}


def test_citing_finds_the_events_of_a_source():
    pkg = package()
    assert list(stats.citing(pkg.events, "copy-1")["id"]) == ["shelling"]
    assert stats.citing(pkg.events, "nobody").empty


def test_contested_keeps_events_framed_by_enough_sides():
    pkg = package()
    events, claims = stats.contested(pkg.events, pkg.claims, 2)
    assert list(events["id"]) == ["shelling"] and len(claims) == 2
    events, claims = stats.contested(pkg.events, pkg.claims, 3)
    assert events.empty and claims.empty
    events, _ = stats.contested(pkg.events[pkg.events["id"] == "talks"], pkg.claims, 2)
    assert events.empty


def test_map_coverage_counts_what_the_map_cannot_show():
    pkg = package()
    inside = stats.map_coverage(pkg.events, pkg.places, (44.0, 48.0), (38.0, 41.0))
    assert inside.unplaced == 1 and inside.outside.empty
    away = stats.map_coverage(pkg.events, pkg.places, (0.0, 10.0), (0.0, 10.0))
    assert away.unplaced == 1 and away.outside.to_dict() == {"stepanakert": 1}


def test_rows_get_their_sources_publisher_and_address():
    pkg = package()
    rows = pd.DataFrame({"value": [1, 2], "source_id": ["copy-1", "missing"]})
    out = stats.with_source(rows, pkg.sources)
    assert out["publisher"].iloc[0] == "mirror.example"
    assert out["url"].iloc[0] == "https://mirror.example/1"
    assert pd.isna(out["publisher"].iloc[1])


def test_balance_counts_each_perspective_once_per_event():
    pkg = package()
    table = stats.balance(pkg.events, pkg.eras)
    assert table.set_index("perspective")["events"].to_dict() == {"armenian": 1, "international": 1}


def test_register_counts_each_publishers_sources_and_events(fixture_package):
    pkg = fixture_package
    table = stats.register(pkg.publishers, pkg.sources, pkg.events)
    assert len(table) == pkg.publishers["id"].nunique()
    assert table["sources"].sum() == pkg.sources["publisher_id"].isin(table["id"]).sum()
    one = table.iloc[0]
    cited_by = {
        s
        for s, p in zip(pkg.sources["id"], pkg.sources["publisher_id"], strict=True)
        if p == one["id"]
    }
    expected = sum(bool(cited_by & set(ids)) for ids in pkg.events["source_ids_list"])
    assert one["events"] == expected


def test_strongest_type_puts_weak_events_under_a_weak_type(fixture_package):
    pkg = fixture_package
    best = stats.strongest_type(pkg.events, pkg.sources, pkg.publishers)
    weak = {"mirror_or_aggregator", "blog_or_personal", "partisan_site", "unregistered"}
    for has_editorial, kind in zip(pkg.events["has_editorial_source"], best, strict=True):
        assert (kind not in weak) or not has_editorial
