"""The 2023 exodus in depth on the Refugees page: who the displaced were and where they stayed,
each figure with who gives it and its date, two sources' figures side by side, and what the
figures do not tell."""

from __future__ import annotations

import base64
import json

import numpy as np

from timeline import schema, stats

from .conftest import ROOT
from .test_pages import app, fixture_data  # noqa: F401 (the app runs on the fixture package)

HEADER = "Who left Nagorno-Karabakh in 2023, and where they went"


def _chart(at, title_part: str) -> dict:
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if title_part in spec["layout"]["title"]["text"]:
            return spec
    raise AssertionError(f"no chart titled {title_part!r}")


def _values(array) -> list:
    """An array as Plotly sends it: a list, or numbers packed as base64 with their dtype."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def test_a_copy_is_credited_to_the_original_publisher(fixture_package):
    rows = stats.exodus_figures(
        fixture_package.displacement, fixture_package.sources, "profile", fixture_package.publishers
    )
    copied = rows[rows["source_id"] == "fixture-unhcr-rrp"]
    assert set(copied["publisher"]) == {"UNHCR"}
    assert set(rows["unit"]) == {"people", "%"}
    assert "UNHCR, 2023-10" in set(rows["given_by"])


def test_the_page_shows_who_left_with_two_sources_side_by_side():
    at = app(page="refugees")
    assert HEADER in [h.value for h in at.header]
    assert {"Who they were", "Where they stayed in Armenia"} <= {s.value for s in at.subheader}
    spec = _chart(at, "Who left Nagorno-Karabakh")
    children = sorted(
        x
        for trace in spec["data"]
        for x, y in zip(_values(trace["x"]), _values(trace["y"]), strict=True)
        if y == "Children (under 18)"
    )
    assert children == [31, 33]  # each source's share, neither added nor averaged
    assert {t["name"] for t in spec["data"]} == {"UNHCR, 2023-10", "Taiwan News, 2023-10-30"}
    rows = [a["text"] for a in spec["layout"]["annotations"] if a.get("yref") == "y"]
    assert rows[:2] == ["Women and girls", "Children (under 18)"]  # the documented order
    where = _chart(at, "Where people from Nagorno-Karabakh stayed")
    assert [a["text"] for a in where["layout"]["annotations"] if a.get("yref") == "y"] == [
        "Kotayk",
        "Aragatsotn",
    ]


def test_each_figure_is_in_a_table_with_its_source_date_and_unit():
    at = app(page="refugees")
    tables = [t.value for t in at.dataframe if "figure" in t.value.columns]
    who = next(t for t in tables if "Children (under 18)" in set(t["group"]))
    assert {"52%", "31%", "33%", "28,670"} <= set(who["figure"])
    assert set(who.loc[who["figure"] == "31%", "publisher"]) == {"UNHCR"}
    assert who["date"].notna().all() and who["url"].notna().all()
    where = next(t for t in tables if "Yerevan" in set(t["group"]))
    assert set(where["figure"]) == {"4,156", "988", "38%"}


def test_the_page_says_what_the_figures_do_not_tell():
    at = app(page="refugees")
    text = " ".join(m.value for m in at.markdown)
    assert "What these figures do not tell" in text
    assert "which other country" in text


def test_bundled_exodus_groups_are_the_documented_ones(package):
    documented = set(schema.EXODUS_GROUPS)
    profile = package.displacement[package.displacement["measure"].str.startswith("exodus_profile")]
    assert len(profile) and set(profile["group"]) <= documented
    for measure in ("exodus_profile", "exodus_profile_share", "exodus_region"):
        assert measure in schema.MEASURES
        assert len(package.displacement[package.displacement["measure"] == measure])
    readme = (ROOT / "data" / "README.md").read_text()
    for group in documented:
        assert f"`{group}`" in readme
