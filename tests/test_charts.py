"""Figure builders and the figures computed from the data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

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
        if t.name in {charts.esc(charts.category_label(c)) for c in events["category"].unique()}
    ]
    assert {t.name for t in traces} == {
        charts.esc(charts.category_label(c)) for c in events["category"].unique()
    }
    # at a century's span, dense stretches are markers standing for several events: each event
    # is on the chart once, alone or counted in one of them
    assert sum(represented(t) for t in traces) == len(events)
    colours = {t.name: t.marker.color for t in traces}
    assert colours["Military"] == charts.PALETTE["military"]
    assert len(set(colours.values())) == len(colours)
    ids = {row[0] for t in traces for row in t.customdata}
    assert {i for i in ids if charts.cluster_dates(i) is None} <= set(events["id"])
    zoomed = charts.timeline_figure(events, package.eras, window=("1992-01-01", "1992-12-31"))
    in_1992 = events[events["start"].dt.year == 1992]
    ids = {row[0] for t in markers(zoomed) if t.customdata is not None for row in t.customdata}
    assert set(in_1992["id"]) <= ids  # a year's span: every event its own marker


def represented(trace) -> int:
    """How many events a marker trace stands for (a cluster's title starts with its count)."""
    return sum(
        int(row[2].split(" events")[0].replace(",", "")) if charts.cluster_dates(row[0]) else 1
        for row in trace.customdata
    )


def test_periods_are_bars_and_eras_are_labelled(package):
    events = package.events[package.events["start"].dt.year.between(1988, 1994)]
    fig = charts.timeline_figure(events, package.eras)
    lines = [t for t in fig.data if t.type == "scatter" and t.mode == "lines"]
    periods = events[events["is_period"]]
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
    lo, hi = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    want = [pd.Timestamp(x) for x in charts.ZOOM_PRESETS["2020 war"]]
    assert want[0] - pd.Timedelta(days=2) <= lo < want[0] and want[1] < hi <= want[
        1
    ] + pd.Timedelta(days=2)


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
    # one usage at a time: a title in one side's usage reads in the chosen one
    assert Renamer(package.places, "international")("Protests on the Lachin road") == (
        "Protests on the Lachin corridor"
    )


def test_the_switch_leaves_cities_outside_the_disputed_land_alone(package):
    for usage in ("hy", "az"):
        rename = Renamer(package.places, usage)
        text = "From Yerevan and Goris to Ganja (Kirovabad), Sumgait and Nakhchivan"
        assert rename(text) == text
        names = set(place_names(package.places, usage))
        assert not names & {"Irevan", "Gorus", "Gandzak", "Ivanyan (Khojalu)", "Naxçıvan"}


def test_no_doubled_names_and_one_spelling_per_usage(package):
    import re

    azeri_letters = re.compile("[əğıöüşçİ]")
    for usage in ("international", "hy", "az"):
        rename = Renamer(package.places, usage)
        assert rename("Aliyev raises the flag in Stepanakert (Khankendi)").endswith(
            {"international": "Stepanakert", "hy": "Stepanakert", "az": "Khankendi"}[usage]
        )
        assert rename("Harutyunyan sworn in in Shusha/Shushi") == (
            "Harutyunyan sworn in in " + {"hy": "Shushi"}.get(usage, "Shusha")
        )
        texts = rename.series(package.events["title"], package.events["start"])
        doubled = [t for t in texts if re.search(r"\b([\w-]+(?: [\w-]+)?) \(\1\)", t)]
        assert doubled == []
        assert not any(azeri_letters.search(str(n)) for n in place_names(package.places, usage))


def test_names_about_names_and_before_1923_stay_as_written(package):
    rename = Renamer(package.places, "az")
    said = "Aliyev visited Stepanakert, which Azerbaijan calls Khankendi."
    assert rename(said) == said
    assert rename.at("Escaped toward Varanda and Dizak", pd.Timestamp("1920-03-24")) == (
        "Escaped toward Varanda and Dizak"
    )
    assert rename.at("Shelling of Stepanakert", pd.Timestamp("1992-01-01")) == (
        "Shelling of Khankendi"
    )


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
    plotted = sum(
        len(t.x) for t in fig.data if t.name not in ("Places", "Borders") and t.x is not None
    )
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


def test_a_narrow_selection_fills_the_chart(fixture_package):
    from timeline import query

    package = fixture_package
    view = query.View(
        start=pd.Timestamp("2023-09-19").date(), end=pd.Timestamp("2023-10-05").date()
    )
    events = query.apply(package.events, view)
    assert len(events)
    # as the Timeline page draws it: the filter's dates are the window, whatever periods
    # reaching into it began years before
    fig = charts.timeline_figure(events, package.eras, window=(view.start, view.end))
    lo, hi = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert pd.Timestamp("2023-09-01") < lo <= pd.Timestamp("2023-09-19")
    assert pd.Timestamp("2023-10-05") <= hi < pd.Timestamp("2023-10-20")


def test_era_names_appear_where_they_fit(package):
    everything = charts.timeline_figure(package.events, package.eras)
    lane = everything.layout.meta["era_lane"]
    named = {a.text for a in everything.layout.annotations if a.y == lane}
    assert "Soviet rule, 1921–87" in named and "Blockade" not in named
    recent = charts.timeline_figure(
        package.events, package.eras, window=charts.ZOOM_PRESETS["Blockade & offensive"]
    )
    lane = recent.layout.meta["era_lane"]
    named = {a.text for a in recent.layout.annotations if a.y == lane}
    assert "Blockade" in named and "Soviet rule, 1921–87" not in named


def _contrast(colour: str, ground: str = "#ffffff") -> float:
    def lum(h: str) -> float:
        r, g, b = (int(h.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
        f = lambda c: c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4  # noqa: E731
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)

    a, b = sorted((lum(colour), lum(ground)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_every_mark_colour_has_three_to_one_against_white():
    colours = [
        *charts.PALETTE.values(),
        *charts.EXTRA_COLOURS,
        *charts.PERSPECTIVE_COLOURS.values(),
    ]
    weak = {c: round(_contrast(c), 2) for c in colours if _contrast(c) < 3}
    assert weak == {}


def test_a_category_keeps_its_colour_and_symbol_whatever_is_shown():
    everything = charts.category_style(list(charts.CATEGORIES))
    for cat in charts.CATEGORIES:
        assert charts.category_style([cat])[cat] == everything[cat]
        assert charts.category_style(["military", cat, "zzz-own"])[cat] == everything[cat]
    assert len({s for _, s in everything.values()}) == len(everything)


def _filtered(package, **view):
    from timeline import query

    return query.apply(package.events, query.View(**view))


def _clashes(points) -> list[tuple[str, str]]:
    """Pairs of markers in one row closer than a marker's width: one would hide the other."""
    return [
        (a[2], b[2])
        for i, a in enumerate(points)
        for b in points[i + 1 :]
        if abs(a[0] - b[0]) < charts.MARKER_PX and abs(a[1] - b[1]) < 1
    ]


def _pixels(fig, width: int):
    """Each marker's centre in pixels at the given plot width, with its event id."""
    lo, hi = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    per_ms = width / ((hi - lo) / pd.Timedelta(milliseconds=1))
    out = []
    for t in markers(fig):
        if t.customdata is None:
            continue
        for x, y, row in zip(t.x, t.y, t.customdata, strict=True):
            out.append(((pd.Timestamp(x) - lo) / pd.Timedelta(milliseconds=1) * per_ms, y, row[0]))
    return out


def test_no_two_markers_cover_each_other_so_khojaly_can_be_picked(package):
    events = _filtered(
        package,
        start=pd.Timestamp("1988-01-01").date(),
        end=pd.Timestamp("1994-12-31").date(),
        categories=("violence_against_civilians",),
    )
    assert "1992-02-26-khojaly-killings" in set(events["id"])
    fig = charts.timeline_figure(events, package.eras)
    points = _pixels(fig, charts.PLOT_PX)
    assert len(points) == len(events)
    assert _clashes(points) == []


def test_axis_and_range_slider_follow_the_filter(package):
    events = _filtered(
        package, start=pd.Timestamp("1988-01-01").date(), end=pd.Timestamp("1994-12-31").date()
    )
    fig = charts.timeline_figure(events, package.eras)
    shown = [pd.Timestamp(x) for x in fig.layout.xaxis.range]
    slider = [pd.Timestamp(x) for x in fig.layout.xaxis.rangeslider.range]
    assert shown == slider
    assert pd.Timestamp("1986-01-01") < shown[0] and shown[1] < pd.Timestamp("1997-01-01")
    # periods reaching beyond the filter do not widen it: a month's filter shows that month
    month = _filtered(
        package, start=pd.Timestamp("1992-02-01").date(), end=pd.Timestamp("1992-02-29").date()
    )
    fig = charts.timeline_figure(
        month, package.eras, window=(pd.Timestamp("1992-02-01"), pd.Timestamp("1992-02-29"))
    )
    lo, hi = (pd.Timestamp(x) for x in fig.layout.xaxis.rangeslider.range)
    assert pd.Timestamp("1992-01-25") < lo and hi < pd.Timestamp("1992-03-05")


def test_data_text_in_legends_and_hover_is_escaped():
    events = load.read_events_file(
        b"id,start_date,title,category\nx,2020,<b>t</b>,<i>own</i>\n", "x.csv"
    ).events
    for fig in (charts.timeline_figure(events), charts.overview_figure(events, None)):
        names = {t.name for t in fig.data if t.name}
        assert "&lt;i&gt;own&lt;/i&gt;" in names and "<i>own</i>" not in names


def test_every_builder_makes_a_valid_figure_in_the_shared_template(package):
    """The builders skip Plotly's validation for speed; this re-validates what they make."""
    import plotly.graph_objects as go

    daily = stats.daily_arrivals(package.displacement)
    head = stats.headline(package.events, package.displacement)
    names = place_names(package.places, "hy")
    figures = {
        "timeline": charts.timeline_figure(
            package.events, package.eras, place_names=names, selected=package.events["id"][0]
        ),
        "density": charts.density_figure(synthetic(500), package.eras),
        "overview": charts.overview_figure(package.events, package.eras),
        "arrivals": charts.arrivals_figure(
            package.displacement, package.sources, stats.event_marks(package.events)
        ),
        "daily": charts.daily_arrivals_figure(daily),
        "share": charts.share_figure(daily, head.population_low, head.population_high),
        "waves": charts.waves_figure(stats.waves(package.displacement)),
        "balance": charts.balance_figure(stats.balance(package.events, package.eras)),
        "map": charts.map_figure(package.events, package.places, names),
        "tiles": charts.map_figure(package.events, package.places, names, tiles=True),
    }
    for name, fig in figures.items():
        again = go.Figure(fig.to_dict())
        assert len(again.data) == len(fig.data), name
        assert fig.layout.template.layout.hoverlabel.bgcolor == "white", name


def test_front_page_figures_cover_both_directions(package):
    spans = {
        label: stats.wave_span(package.displacement, groups, first, last)
        for label, groups, first, last in stats.DISPLACEMENT_HEADLINES
    }
    assert any("Azerbaijanis" in label for label in spans)
    assert any("Armenians" in label for label in spans)
    for label, span in spans.items():
        assert span is not None and 0 < span.low <= span.high, label
        assert span.sources >= 2, label
    waves = stats.waves(package.displacement)
    from_armenia = waves[
        (waves["group"] == "Azerbaijanis from Armenia")
        & waves["date"].str[:4].between("1988", "1991")
    ]
    span = spans["Azerbaijanis who left Armenia, 1988–91"]
    assert span.low == from_armenia["value"].min()
    for _, event_id in stats.LOSS_EVENTS:
        assert (package.events["id"] == event_id).any()


def test_active_filters_are_named_in_words(package):
    """Shown above each page's content, so a phone reader with the sidebar shut sees them."""
    import datetime as dt
    from types import SimpleNamespace

    from timeline import query, ui

    view = query.View(
        start=dt.date(1988, 1, 1),
        end=dt.date(1994, 12, 31),
        categories=("violence_against_civilians",),
        place="stepanakert",
    )
    ctx = SimpleNamespace(view=view, places=place_names(package.places, "az"))
    assert ui.active_filters(ctx) == [
        "Dates: 1988-01-01 to 1994-12-31",
        "Categories: Violence against civilians",
        "Place: Khankendi",
    ]
    assert ui.active_filters(SimpleNamespace(view=query.View(), places=ctx.places)) == []


def test_after_exodus_figure_draws_each_reported_figure_by_measure(fixture_package):
    rows = stats.after_exodus(fixture_package.displacement, fixture_package.sources)
    fig = charts.after_exodus_figure(rows)
    assert sorted(t.name for t in fig.data) == sorted(rows["series"].unique())
    assert sum(len(t.y) for t in fig.data) == len(rows)
    go.Figure(fig.to_dict())  # every property valid


def test_events_with_their_own_coordinates_are_drawn_where_the_file_puts_them(fixture_package):
    data = (
        b"id,start_date,title,category,lat,lon\n"
        b"own-1,2024-05-01,Somewhere with no place row,political,40.05,45.2\n"
        b"none-1,2024-05-02,Nowhere given,political,,\n"
    )
    user = load.read_events_file(data, "mine.csv")
    assert not user.problems
    places = fixture_package.places
    fig = charts.map_figure(user.events, places, place_names(places))
    drawn = [
        (lat, lon, row[0])
        for t in fig.data
        if t.customdata is not None and t.type == "scatter"
        for lat, lon, row in zip(t.y, t.x, t.customdata, strict=True)
    ]
    assert [row_id for *_, row_id in drawn] == ["own-1"]
    lat, lon, _ = drawn[0]
    assert abs(lat - 40.05) < 0.05 and abs(lon - 45.2) < 0.05
    cover = stats.map_coverage(user.events, fixture_package.places, (44, 48), (38, 41))
    assert cover.unplaced == 1


def test_at_a_century_span_every_marker_can_be_picked_and_counts_its_events(package):
    events = package.events
    fig = charts.timeline_figure(events, package.eras)
    points = _pixels(fig, charts.PLOT_PX)
    assert _clashes(points) == []
    lanes = {charts.esc(charts.category_label(c)): c for c in charts.CATEGORIES}
    clusters = 0
    for trace in markers(fig):
        for row in trace.customdata if trace.name in lanes else []:
            dates = charts.cluster_dates(row[0])
            if dates is None:
                continue
            clusters += 1
            lo, hi = (pd.Timestamp(d) for d in dates)
            inside = events[
                (events["category"] == lanes[trace.name]) & events["start"].between(lo, hi)
            ]
            # the dates it sets hold at least the events it counts (others of the lane may
            # fall between them, and they part there too)
            assert len(inside) >= int(row[2].split(" events")[0].replace(",", ""))
    assert clusters > 0
    assert fig.layout.height < 1200  # the century fits on a screen or so, not 150 rows
