"""The plain map as a reader sees it: country borders drawn, place labels that do not collide."""

from __future__ import annotations

import itertools

from timeline import charts
from timeline.names import place_names


def _plain_map(fixture_package, usage: str = "international"):
    names = place_names(fixture_package.places, usage)
    return charts.map_figure(fixture_package.events, fixture_package.places, names)


def test_the_plain_map_draws_country_borders_around_the_region(fixture_package):
    fig = _plain_map(fixture_package)
    borders = [t for t in fig.data if t.name == "Borders"]
    assert len(borders) == 1
    xs = [x for x in borders[0].x if x is not None]
    ys = [y for y in borders[0].y if y is not None]
    # a line runs through the whole region (the Armenia-Azerbaijan border, the Caspian coast)
    assert min(xs) < charts.REGION["lon"][0] + 1 and max(xs) > charts.REGION["lon"][1] - 1
    assert min(ys) < charts.REGION["lat"][0] + 1 and max(ys) > charts.REGION["lat"][1] - 1
    # beneath the events: drawn first, never picked, not in the legend
    assert fig.data[0].name == "Borders"
    assert borders[0].hoverinfo == "skip" and borders[0].showlegend is False


def test_place_labels_do_not_overlap_on_a_phone(package):
    """At 390 px the map's plot is about 300 px wide: no two labels may share space there
    (measured generously: 7 px per character, 16 px high)."""
    names = place_names(package.places)
    fig = charts.map_figure(package.events, package.places, names)
    x0, x1 = fig.layout.xaxis.range
    y0, y1 = fig.layout.yaxis.range
    width, height = charts.PHONE_PLOT
    boxes = []
    for note in fig.layout.annotations:
        size = note.font.size
        x = (note.x - x0) / (x1 - x0) * width
        y = (note.y - y0) / (y1 - y0) * height + (note.yshift or 0)
        half = 0.3 * size * len(note.text)
        boxes.append((note.text, x - half, y - size / 2, x + half, y + size / 2))
    assert len(boxes) >= 6, "the main places are still named"
    for a, b in itertools.combinations(boxes, 2):
        apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
        assert apart, (a[0], b[0])
    texts = {b[0] for b in boxes}
    assert {"Stepanakert", "Baku", "Yerevan"} <= texts
    assert "Azerbaijan" not in texts  # the country point is named once, by the country name


def test_labels_keep_the_most_important_place_when_two_collide():
    view = {"lon": (46.0, 47.0), "lat": (39.0, 40.0)}
    # three places at one point: the first above it, the second below, the third left out
    # rather than drawn over them; a place far away keeps its label
    labels = [
        ("Stepanakert", 46.75, 39.82),
        ("Khankendi district", 46.75, 39.82),
        ("Karabakh", 46.75, 39.82),
        ("Far", 46.1, 39.1),
    ]
    kept = charts.spaced_labels(labels, view)
    assert [(k[0], k[3]) for k in kept] == [
        ("Stepanakert", 16),
        ("Khankendi district", -16),
        ("Far", 16),
    ]
    # a country name in the way pushes a label below its point
    country = (("AZERBAIJAN", 46.75, 39.86),)
    assert charts.spaced_labels(labels[:1], view, kept=country)[0][3] == -16
