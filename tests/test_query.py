"""The view object: filters, URL parameters in and out."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import query
from timeline.query import View


def test_date_window_keeps_events_overlapping_it(package):
    view = View(start=dt.date(2023, 9, 19), end=dt.date(2023, 10, 5))
    shown = query.apply(package.events, view)
    assert len(shown) > 20
    assert (shown["start"] <= pd.Timestamp("2023-10-05")).all()
    assert (shown["stop"] >= pd.Timestamp("2023-09-19")).all()
    assert "2023-09-25-fuel-depot-explosion" in set(shown["id"])
    assert "1988-02-27-sumgait-pogrom" not in set(shown["id"])


def test_each_filter_narrows(package):
    events = package.events
    everything = len(query.apply(events, View()))
    assert everything == len(events)
    for view in (
        View(categories=("humanitarian",)),
        View(actors=("ICRC",)),
        View(place="shusha"),
        View(perspectives=("turkish",)),
        View(support="single"),
        View(q="fuel depot"),
    ):
        shown = query.apply(events, view)
        assert 0 < len(shown) < everything, view
    assert set(query.apply(events, View(categories=("humanitarian",)))["category"]) == {
        "humanitarian"
    }
    shown = query.apply(events, View(q="FUEL depot"))
    text = (shown["title"] + " " + shown["summary"].fillna("")).str.lower()
    assert text.str.contains("fuel").all() and text.str.contains("depot").all()
    assert set(query.apply(events, View(q="Khankendi"))["place_id"]) >= {"stepanakert"}


def test_support_splits_the_events(package):
    multi = query.apply(package.events, View(support="multi"))
    single = query.apply(package.events, View(support="single"))
    assert (multi["perspectives"].str.count(";") >= 1).all()
    assert (~single["perspectives"].str.contains(";")).all()


def test_unknown_and_malformed_params_are_dropped_with_notices(package):
    vocab = query.Vocabulary.of(package.events)
    view, notices = query.from_params(
        {
            "from": ["2023-13-01"],
            "to": ["2023-10-05"],
            "category": ["military", "bogus"],
            "event": ["no-such-event"],
            "utm_source": ["x"],
            "names": ["klingon"],
        },
        vocab,
    )
    assert view == View(end=dt.date(2023, 10, 5), categories=("military",))
    assert len(notices) == 5
    assert any("utm_source" in n for n in notices)


def test_a_linked_event_is_kept_only_if_the_data_has_it(package):
    vocab = query.Vocabulary.of(package.events)
    known = package.events["id"].iloc[-1]
    view, notices = query.from_params({"event": [known]}, vocab)
    assert view.event == known and notices == []
    view, notices = query.from_params({"event": [known.upper()]}, vocab)
    assert view.event is None and len(notices) == 1


def test_swapped_dates_are_put_right(package):
    vocab = query.Vocabulary.of(package.events)
    view, notices = query.from_params({"from": "2023-10-05", "to": "2023-09-19"}, vocab)
    assert (view.start, view.end) == (dt.date(2023, 9, 19), dt.date(2023, 10, 5))
    assert notices


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 1, 1))


@settings(max_examples=200, deadline=None)
@given(
    start=st.none() | dates,
    end=st.none() | dates,
    categories=st.lists(st.sampled_from(["political", "military", "humanitarian"]), unique=True),
    q=st.text(max_size=20).map(str.strip),
    names=st.sampled_from(["international", "hy", "az"]),
    support=st.sampled_from(list(query.SUPPORT)),
)
def test_url_round_trip(start, end, categories, q, names, support):
    if start and end and start > end:
        start, end = end, start
    vocab = query.Vocabulary(categories=frozenset({"political", "military", "humanitarian"}))
    view = View(
        start=start, end=end, categories=tuple(categories), q=q, names=names, support=support
    )
    params = {k: v if isinstance(v, list) else [v] for k, v in view.to_params().items()}
    back, notices = query.from_params(params, vocab)
    assert notices == []
    assert back == view
