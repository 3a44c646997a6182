"""The view object: filters, URL parameters in and out."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import load, query
from timeline.query import View


def user_events(text: str) -> pd.DataFrame:
    result = load.read_events_file(text.encode("utf-8"), "mine.csv")
    assert result.ok, result.problems
    return result.events


SPACED_ACTORS = (
    "id,start_date,title,actors,summary\n"
    "a,2020-01-01,Talks,ICRC ;UN,Prisoners exchanged\n"
    "b,2020-02-01,Shelling, UN ; Armenia ,Shelling of a village\n"
    "c,2020-03-01,Border incident,,Soldiers killed near the border\n"
)


def test_date_window_keeps_events_overlapping_it(fixture_package):
    view = View(start=dt.date(2023, 9, 19), end=dt.date(2023, 10, 5))
    shown = query.apply(fixture_package.events, view)
    assert set(shown["id"]) == {
        "2023-09-24-first-arrivals-kornidzor",
        "2023-09-25-fuel-depot-explosion",
    }
    longer = query.apply(fixture_package.events, View(start=dt.date(2023, 1, 1)))
    assert "2022-12-12-lachin-corridor-blockade" in set(longer["id"])  # a period reaching in


def test_each_filter_keeps_exactly_the_matching_events(fixture_package):
    events = fixture_package.events
    assert len(query.apply(events, View())) == len(events)

    def ids(view: View) -> set[str]:
        return set(query.apply(events, view)["id"])

    def expect(mask: pd.Series) -> set[str]:
        return set(events.loc[mask, "id"])

    assert ids(View(categories=("humanitarian",))) == expect(events["category"] == "humanitarian")
    assert ids(View(actors=("ICRC",))) == expect(events["actors_list"].map(lambda a: "ICRC" in a))
    assert ids(View(place="stepanakert")) == expect(events["place_id"] == "stepanakert")
    russian = events["perspectives_list"].map(lambda p: "russian" in p)
    assert ids(View(perspectives=("russian",))) == expect(russian)
    sides = events["perspectives_list"].map(len)
    assert ids(View(support="single")) == expect(sides == 1)
    assert ids(View(support="multi")) == expect(sides >= 2)
    assert ids(View(editorial=True)) == expect(events["has_editorial_source"])
    for view in (
        View(categories=("humanitarian",)),
        View(actors=("ICRC",)),
        View(place="stepanakert"),
        View(perspectives=("russian",)),
        View(support="single"),
        View(editorial=True),
        View(q="fuel depot"),
    ):
        assert 0 < len(ids(view)) < len(events), view


def test_search_reads_titles_summaries_and_every_name_of_a_place(fixture_package):
    events = fixture_package.events
    shown = query.apply(events, View(q="FUEL depot"))
    assert list(shown["id"]) == ["2023-09-25-fuel-depot-explosion"]
    by_other_name = query.apply(events, View(q="Khankendi"))
    assert set(by_other_name["place_id"]) == {"stepanakert"}
    # searched only among the events the other filters kept
    both = query.apply(events, View(categories=("humanitarian",), q="fuel depot"))
    assert list(both["id"]) == ["2023-09-25-fuel-depot-explosion"]
    assert query.apply(events, View(categories=("military",), q="fuel depot")).empty


def test_unknown_and_malformed_params_are_dropped_with_notices(fixture_package):
    vocab = query.Vocabulary.of(fixture_package.events)
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


def test_a_linked_event_is_kept_only_if_the_data_has_it(fixture_package):
    vocab = query.Vocabulary.of(fixture_package.events)
    known = fixture_package.events["id"].iloc[-1]
    view, notices = query.from_params({"event": [known]}, vocab)
    assert view.event == known and notices == []
    view, notices = query.from_params({"event": [known.upper()]}, vocab)
    assert view.event is None and len(notices) == 1


def test_swapped_dates_are_put_right(fixture_package):
    vocab = query.Vocabulary.of(fixture_package.events)
    view, notices = query.from_params({"from": "2023-10-05", "to": "2023-09-19"}, vocab)
    assert (view.start, view.end) == (dt.date(2023, 9, 19), dt.date(2023, 10, 5))
    assert notices


def test_an_actor_offered_in_the_sidebar_finds_its_events():
    """Actors written 'ICRC ;UN' are offered as 'ICRC' and choosing it finds the event."""
    events = user_events(SPACED_ACTORS)
    vocab = query.Vocabulary.of(events)
    assert vocab.actors == {"ICRC", "UN", "Armenia"}
    for actor, ids in (("ICRC", {"a"}), ("UN", {"a", "b"}), ("Armenia", {"b"})):
        assert set(query.apply(events, View(actors=(actor,)))["id"]) == ids, actor
    both = query.apply(events, View(actors=("ICRC", "Armenia")))
    assert set(both["id"]) == {"a", "b"}


def test_a_list_column_from_the_loader_is_what_the_filter_uses():
    events = user_events(SPACED_ACTORS).assign(actors_list=[("Red Cross",), ("UN",), ()])
    assert query.Vocabulary.of(events).actors == {"Red Cross", "UN"}
    assert list(query.apply(events, View(actors=("Red Cross",)))["id"]) == ["a"]


def test_editorial_filter_keeps_events_with_an_editorial_source():
    events = user_events(SPACED_ACTORS)
    # a user's file has no register of publishers behind it: nothing is marked
    assert query.apply(events, View(editorial=True)).empty
    marked = events.assign(has_editorial_source=[True, False, True])
    assert list(query.apply(marked, View(editorial=True))["id"]) == ["a", "c"]
    view, notices = query.from_params({"editorial": ["1"]}, query.Vocabulary.of(events))
    assert view == View(editorial=True) and notices == []
    assert view.to_params() == {"editorial": "1"}
    assert view.is_filtered
    view, notices = query.from_params({"editorial": ["maybe"]}, query.Vocabulary.of(events))
    assert view == View() and len(notices) == 1 and "editorial=1" in notices[0]


def test_every_url_key_is_declared_once():
    keys = [k for p in query.PARAMS for k in p.keys]
    assert len(keys) == len(set(keys))
    assert set(keys) == query.KNOWN_PARAMS
    states = [p.state for p in query.PARAMS]
    assert len(states) == len(set(states))


def test_search_finds_every_word_in_any_column_whatever_the_case():
    events = user_events(SPACED_ACTORS)
    assert list(query.apply(events, View(q="shelling VILLAGE"))["id"]) == ["b"]
    assert list(query.apply(events, View(q="icrc prisoners"))["id"]) == ["a"]
    assert query.apply(events, View(q="shelling prisoners")).empty
    assert list(query.apply(events, View(q="a.b"))["id"]) == []  # no pattern syntax


def test_a_long_search_is_cut_with_a_notice():
    vocab = query.Vocabulary()
    words = " ".join(f"w{i}" for i in range(50))
    view, notices = query.from_params({"q": [words]}, vocab)
    assert view.q.split() == [f"w{i}" for i in range(query.MAX_QUERY_WORDS)]
    assert len(notices) == 1 and "cut" in notices[0]
    view, notices = query.from_params({"q": ["x" * 5000]}, vocab)
    assert view.q == "x" * query.MAX_QUERY_CHARS and len(notices) == 1
    view, notices = query.from_params({"q": ["fuel depot"]}, vocab)
    assert view.q == "fuel depot" and notices == []


def test_widget_values_the_data_no_longer_has_are_dropped_with_a_notice():
    vocab = query.Vocabulary(
        actors=frozenset({"UN"}),
        places=frozenset({"shusha"}),
        dates=(dt.date(1990, 1, 1), dt.date(2000, 1, 1)),
    )
    by_field = {p.field: p for p in query.PARAMS}
    notices: list[str] = []
    got = by_field["actors"].from_widget(["UN", "ICRC"], vocab, notices)
    assert got == {"actors": ("UN",)} and "ICRC" in notices[-1]
    got = by_field["place"].from_widget("stepanakert", vocab, notices)
    assert got == {"place": None} and "stepanakert" in notices[-1]
    got = by_field["start"].from_widget((dt.date(1995, 1, 1), dt.date(2024, 1, 1)), vocab, notices)
    assert got == {"start": dt.date(1995, 1, 1), "end": None}
    assert len(notices) == 3
    widget = by_field["start"].to_widget(View(start=dt.date(2010, 1, 1)), vocab)
    assert widget == (dt.date(2000, 1, 1), dt.date(2000, 1, 1))


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 1, 1))


@settings(max_examples=200, deadline=None)
@given(
    start=st.none() | dates,
    end=st.none() | dates,
    categories=st.lists(st.sampled_from(["political", "military", "humanitarian"]), unique=True),
    q=st.text(max_size=20).map(str.strip),
    names=st.sampled_from(["international", "hy", "az"]),
    support=st.sampled_from(list(query.SUPPORT)),
    actors=st.lists(st.sampled_from(["ICRC", "UN", "Armenia"]), unique=True),
    place=st.none() | st.sampled_from(["shusha", "stepanakert"]),
    editorial=st.booleans(),
)
def test_url_round_trip(start, end, categories, q, names, support, actors, place, editorial):
    if start and end and start > end:
        start, end = end, start
    vocab = query.Vocabulary(
        categories=frozenset({"political", "military", "humanitarian"}),
        actors=frozenset({"ICRC", "UN", "Armenia"}),
        places=frozenset({"shusha", "stepanakert"}),
    )
    view = View(
        start=start,
        end=end,
        categories=tuple(categories),
        actors=tuple(actors),
        place=place,
        q=q,
        names=names,
        support=support,
        editorial=editorial,
    )
    params = {k: v if isinstance(v, list) else [v] for k, v in view.to_params().items()}
    back, notices = query.from_params(params, vocab)
    assert notices == []
    assert back == view
