"""Figure builders and the figures computed from the data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from timeline import charts, load, stats
from timeline.names import Renamer, place_names


def markers(fig):
    return [t for t in fig.data if t.type in ("scatter", "scattergl") and t.mode == "markers"]


def test_timeline_has_a_lane_per_category_in_a_safe_palette(package):
    events = package.events
    fig = charts.timeline_figure(events, package.eras)
    traces = [
        t
        for t in markers(fig)
        if t.name in {charts.category_label(c) for c in events["category"].unique()}
    ]
    assert {t.name for t in traces} == {
        charts.category_label(c) for c in events["category"].unique()
    }
    assert sum(len(t.x) for t in traces) == len(events)
    colours = {t.name: t.marker.color for t in traces}
    assert colours["Military"] == charts.PALETTE["military"]
    assert len(set(colours.values())) == len(colours)
    ids = {row[0] for t in traces for row in t.customdata}
    assert ids == set(events["id"])


def test_periods_are_bars_and_eras_are_labelled(package):
    fig = charts.timeline_figure(package.events, package.eras)
    lines = [t for t in fig.data if t.type == "scatter" and t.mode == "lines"]
    periods = package.events[package.events["is_period"]]
    assert sum(len([x for x in t.x if x is not None]) for t in lines) == 2 * len(periods)
    (era_bar,) = [t for t in fig.data if t.type == "bar"]
    assert list(era_bar.text) == list(package.eras["label"])
    assert fig.layout.xaxis.rangeslider.visible


def test_hover_text_is_escaped():
    events = load.read_events_file(
        b"id,start_date,title\nx,2020,<img src=x onerror=alert(1)>\n", "x.csv"
    ).events
    fig = charts.timeline_figure(events)
    (trace,) = markers(fig)
    assert trace.customdata[0][2] == "&lt;img src=x onerror=alert(1)&gt;"


def test_selected_event_is_ringed_and_window_zooms(package):
    fig = charts.timeline_figure(
        package.events,
        package.eras,
        selected="2023-09-25-fuel-depot-explosion",
        window=charts.ZOOM_PRESETS["2020 war"],
    )
    ring = [t for t in fig.data if t.name == "Selected"]
    assert len(ring) == 1 and str(ring[0].x[0]).startswith("2023-09-25")
    assert tuple(fig.layout.xaxis.range) == charts.ZOOM_PRESETS["2020 war"]


def synthetic(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    days = pd.Timestamp("1918-01-01") + pd.to_timedelta(rng.integers(0, 38000, n), unit="D")
    frame = pd.DataFrame(
        {
            "id": [f"e{i}" for i in range(n)],
            "start_date": days.strftime("%Y-%m-%d"),
            "title": "Event",
            "category": rng.choice(["political", "military", "humanitarian"], n),
        }
    )
    return load.enrich_events(frame)


def test_many_events_become_a_density_under_one_megabyte():
    events = synthetic(50_000)
    fig = charts.timeline_figure(events)
    assert fig.layout.meta["level_of_detail"] == "density"
    assert all(t.type == "bar" for t in fig.data)
    assert sum(sum(t.y) for t in fig.data) == 50_000
    assert len(fig.to_json()) < 1_000_000


def test_arrivals_chart_marks_every_figure_and_annotates_from_events(package):
    marks = stats.event_marks(package.events)
    fig = charts.arrivals_figure(package.displacement, package.sources, marks)
    rows = stats.arrivals(package.displacement)
    line, points = fig.data
    assert len(points.y) == len(rows)
    assert list(line.y) == sorted(line.y)
    texts = [a.text for a in fig.layout.annotations]
    assert len(marks) == len(stats.ANNOTATED_EVENTS)
    for title in marks["title"]:
        assert any(title.startswith(t.rstrip("…")) for t in texts)


def test_daily_arrivals_add_up_to_the_last_figure(package):
    daily = stats.daily_arrivals(package.displacement)
    assert daily["arrived"].sum() == daily["cumulative"].iloc[-1]
    assert (daily["arrived"] >= 0).all()
    fig = charts.daily_arrivals_figure(daily)
    assert list(fig.data[0].y) == daily["arrived"].tolist()


def test_headline_figures_come_from_the_data(package):
    head = stats.headline(package.events, package.displacement)
    blockade = package.events[package.events["id"] == stats.BLOCKADE_ID].iloc[0]
    assert head.blockade_days == (blockade["stop"] - blockade["start"]).days + 1
    rows = stats.arrivals(package.displacement)
    assert head.final == rows["value"].max()
    assert head.arrived >= stats.FLOW_ENDED * head.final
    assert head.arrived_by >= pd.Timestamp("2023-09-24")
    assert 0 < head.share_low <= head.share_high <= 1
    assert (head.below_arrivals["value"] < head.arrived).all()


def test_waves_show_both_directions(package):
    waves = stats.waves(package.displacement)
    fig = charts.waves_figure(waves)
    labels = " ".join(fig.data[0].y)
    assert "Azerbaijanis from Armenia" in labels and "Armenians from Azerbaijan" in labels


def test_place_names_follow_the_chosen_usage(package):
    assert place_names(package.places, "az")["stepanakert"] == "Khankendi"
    assert place_names(package.places, "hy")["shusha"] == "Shushi"
    rename = Renamer(package.places, "az")
    assert rename("Shelling of Stepanakert") == "Shelling of Khankendi"
    assert Renamer(package.places, "hy")("Lachin corridor reopens") == "Lachin corridor reopens"
    assert Renamer(package.places, "international")("Khankendi") == "Khankendi"


def test_balance_counts_events_per_era_and_perspective(package):
    table = stats.balance(package.events, package.eras)
    events = package.events
    blockade = table[table["era"] == "Blockade"].set_index("perspective")["events"]
    lo, hi = pd.Timestamp("2022-12-12"), pd.Timestamp("2023-09-18")
    in_era = events[(events["start"] >= lo) & (events["start"] <= hi)]
    expected = in_era["perspectives"].str.split(";").explode().value_counts()
    assert blockade.to_dict() == expected.to_dict()
    fig = charts.balance_figure(table)
    assert {t.name for t in fig.data} == {charts.PERSPECTIVES[p] for p in table["perspective"]}


def test_map_places_events_and_renames_labels(package):
    names = place_names(package.places, "az")
    fig = charts.map_figure(package.events, package.places, names)
    plotted = sum(len(t.x) for t in fig.data if t.name != "Places" and t.x is not None)
    assert plotted == package.events["place_id"].isin(package.places["place_id"]).sum()
    labels = {a.text for a in fig.layout.annotations}
    assert "Khankendi" in labels and "Stepanakert" not in labels
    tiles = charts.map_figure(package.events, package.places, names, tiles=True)
    assert any(t.type == "scattermap" for t in tiles.data)


def test_big_tables_stay_small_on_every_chart(package):
    events = synthetic(20_000)
    events["place_id"] = (
        package.places["place_id"].sample(len(events), replace=True, random_state=1).to_numpy()
    )
    names = place_names(package.places)
    for fig in (
        charts.timeline_figure(events, package.eras),
        charts.overview_figure(events, package.eras),
        charts.map_figure(events, package.places, names),
    ):
        assert len(fig.to_json()) < 1_000_000
    counts = charts.map_figure(events, package.places, names)
    total = sum(
        int(s.replace(",", "").split()[0])
        for t in counts.data
        if t.customdata is not None
        for s in (row[1] for row in t.customdata)
    )
    assert total == len(events)


def test_a_narrow_selection_fills_the_chart(package):
    from timeline import query

    view = query.View(
        start=pd.Timestamp("2023-09-19").date(), end=pd.Timestamp("2023-10-05").date()
    )
    events = query.apply(package.events, view)
    fig = charts.timeline_figure(events, package.eras)
    lo, hi = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert pd.Timestamp("2023-06-01") < lo <= events["start"].min()
    assert events["stop"].max() <= hi < pd.Timestamp("2024-06-01")


def test_era_names_appear_where_they_fit(package):
    everything = charts.timeline_figure(package.events, package.eras)
    named = {a.text for a in everything.layout.annotations if a.y == charts.ERA_LANE}
    assert "Soviet rule, 1921–87" in named and "Blockade" not in named
    recent = charts.timeline_figure(
        package.events, package.eras, window=charts.ZOOM_PRESETS["Blockade & offensive"]
    )
    named = {a.text for a in recent.layout.annotations if a.y == charts.ERA_LANE}
    assert "Blockade" in named and "Soviet rule, 1921–87" not in named
