"""The event card's content, built from a small package made here (no Streamlit)."""

from __future__ import annotations

import dataclasses

import pandas as pd

from timeline import card, load

EVENTS = (
    "id,start_date,title,summary,category,place_id,actors,source_ids,"
    "deaths_low,deaths_high,figures_note\n"
    "shelling,2020-10-04,Shelling of Stepanakert,Rockets hit the city.,military,stepanakert,"
    "Azerbaijan ; Armenia ,agency-1;copy-1;gone,10,12,Each side gives its own count\n"
    "talks,1994-05,Talks,,ceasefire_diplomacy,,,,,,\n"
)
SOURCES = pd.DataFrame(
    {
        "id": ["agency-1", "copy-1"],
        "title": ["Rockets hit city", "Rockets hit city (copy)"],
        "publisher": ["Agency", "mirror.example"],
        "author": [None, None],
        "published": ["2020-10-04", None],
        "url": ["https://agency.example/1", "https://mirror.example/1"],
        "perspective": ["international", "armenian"],
        "kind": ["news", "news"],
        "language": ["en", "en"],
        "publisher_id": ["agency", "mirror"],
        "original_publisher_id": [None, "agency"],
        "original_url": [None, "https://agency.example/1"],
    }
)
PUBLISHERS = pd.DataFrame(
    {
        "id": ["agency", "mirror"],
        "name": ["The Agency", "Mirror site"],
        "domains": ["agency.example", "mirror.example"],
        "type": ["news_agency", "mirror_or_aggregator"],
        "editorial": ["yes", "no"],
        "country": ["", ""],
        "standpoint": ["international", "none"],
        "note": ["", ""],
    }
)
PLACES = pd.DataFrame(
    {
        "place_id": ["stepanakert"],
        "name": ["Stepanakert"],
        "name_hy": ["Stepanakert"],
        "name_az": ["Khankendi"],
        "lat": [39.8],
        "lon": [46.75],
    }
)
CLAIMS = pd.DataFrame(
    {
        "id": ["shelling.1", "shelling.2"],
        "event_id": ["shelling", "shelling"],
        "perspective": ["azerbaijani", "armenian"],
        "claimant": ["Ministry A", "Ministry B"],
        "claim": ["Says it hit military targets.", "Says civilians were hit."],
        "source_id": ["agency-1", "copy-1"],
    }
)


def with_audit(package, *rows):
    """The package with these audit rows appended after its own."""
    return dataclasses.replace(
        package, audit=pd.concat([package.audit, pd.DataFrame(list(rows))], ignore_index=True)
    )


def audit_row(table, row_id, day, result, method, note="a check"):
    """One audit row checking a row of a table."""
    return {"table": table, "row_id": row_id, "checked_on": day} | {
        "result": result,
        "method": method,
        "note": note,
    }


def event_check(event_id, day, result, method, note="a check"):
    """One audit row checking an event."""
    return audit_row("events", event_id, day, result, method, note)


def package() -> load.Package:
    events = load.read_events_file(EVENTS.encode(), "events.csv")
    assert events.ok, events.problems
    return load.Package(
        events=load.enrich_events(events.events, SOURCES, PLACES, PUBLISHERS),
        sources=SOURCES,
        claims=CLAIMS,
        places=PLACES,
        displacement=pd.DataFrame(),
        eras=load.empty_eras(),
        publishers=PUBLISHERS,
    )


def test_card_says_what_where_who_and_how_many():
    content = card.build(package(), "shelling")
    assert content is not None
    assert content.title == "Shelling of Stepanakert"
    assert content.date_line == "4 October 2020 · date known to the day · Military"
    assert content.summary == "Rockets hit the city."
    assert content.actors == ("Azerbaijan", "Armenia")
    assert content.figures == "Deaths: 10–12"
    assert content.figures_note == "Each side gives its own count"
    assert content.place == card.Place("Stepanakert", "Stepanakert", "Stepanakert", "Khankendi")


def test_card_follows_the_chosen_place_names():
    content = card.build(package(), "shelling", "az")
    assert content.title == "Shelling of Khankendi"
    assert content.place.name == "Khankendi" and content.place.international == "Stepanakert"


def test_place_line_lists_the_usages_only_where_they_differ():
    content = card.build(package(), "shelling", "international")
    assert content.place.line() == (
        "Stepanakert (international: Stepanakert; Armenian usage: Stepanakert; "
        "Azerbaijani usage: Khankendi)"
    )
    shared = card.Place("Ganja", "Ganja", "Ganja", "Ganja")
    assert shared.line() == "Ganja (the same name in international, Armenian and Azerbaijani usage)"


def test_sources_show_their_publisher_and_its_type_from_the_register():
    first, copy, gone = card.build(package(), "shelling").sources
    assert first.publisher == "The Agency" and first.publisher_type == "news agency"
    assert first.details == ["The Agency (news agency)", "2020-10-04", "International", "news"]
    assert copy.publisher == "Mirror site" and copy.publisher_type == "mirror or aggregator"
    assert "a copy of The Agency" in copy.details
    assert not gone.known and gone.title == "gone"


def test_a_source_without_a_register_entry_keeps_its_own_publisher_name():
    pkg = package()
    pkg.publishers = PUBLISHERS.iloc[0:0]
    first = card.build(pkg, "shelling").sources[0]
    assert first.publisher == "Agency" and first.publisher_type is None
    assert first.details[0] == "Agency"


def test_claims_grouped_by_side_in_the_usual_order():
    claims = card.build(package(), "shelling").claims
    assert [side for side, _ in claims] == ["Armenian", "Azerbaijani"]
    armenian = claims[0][1][0]
    assert armenian.claimant == "Ministry B" and armenian.source.publisher == "Mirror site"


def test_an_event_with_little_known_has_a_short_card_and_an_unknown_id_none():
    pkg = package()
    talks = card.build(pkg, "talks")
    assert talks.actors == () and talks.sources == () and talks.claims == ()
    assert talks.figures is None and talks.place is None and talks.arrived is None
    assert talks.date_line == "May 1994 · date known to the month · Ceasefire & diplomacy"
    assert card.build(pkg, "no-such-event") is None


def test_a_card_says_when_an_event_rests_on_weak_sources_or_is_not_confirmed(fixture_package):
    weak = fixture_package.events.loc[~fixture_package.events["has_editorial_source"], "id"]
    for event_id in weak:
        assert card.WEAK_SOURCING in card.build(fixture_package, event_id).cautions
    audit = fixture_package.audit
    unconfirmed = audit[(audit["table"] == "events") & (audit["result"] == "not_confirmed")]
    for event_id in unconfirmed["row_id"]:
        content = card.build(fixture_package, event_id)
        assert any(c.startswith("Not confirmed") for c in content.cautions)
        assert content.checked.startswith("not confirmed")
    strong = fixture_package.events.loc[fixture_package.events["has_editorial_source"], "id"]
    confirmed = set(audit.loc[audit["result"] == "confirmed", "row_id"])
    for event_id in set(strong) & confirmed:
        assert card.build(fixture_package, event_id).cautions == ()


def test_a_claim_whose_last_check_could_not_confirm_it_says_so(fixture_package):
    event_id = "1988-02-20-nkao-soviet-transfer-request"
    claim_id = f"{event_id}.1"
    row = lambda day, result: {  # noqa: E731
        "table": "claims",
        "row_id": claim_id,
        "checked_on": day,
        "result": result,
        "note": "",
    }
    checked = with_audit(fixture_package, row("2026-11-22", "not_confirmed"))
    claims = [c for _, side in card.build(checked, event_id).claims for c in side]
    assert [c.confirmed for c in claims if c.claimant == "PanARMENIAN.Net"] == [False]
    assert all(c.confirmed for c in claims if c.claimant != "PanARMENIAN.Net")
    # found later: the last check counts
    later = with_audit(checked, row("2026-11-23", "confirmed"))
    assert all(c.confirmed for _, side in card.build(later, event_id).claims for c in side)


def test_a_not_confirmed_caution_gives_what_was_missing_without_the_checks_name(fixture_package):
    event_id = "1988-02-20-nkao-soviet-transfer-request"
    missing = "example-page did not come back on two searches; the vote count rests on it alone."
    row = lambda note: {  # noqa: E731
        "table": "events",
        "row_id": event_id,
        "checked_on": "2026-11-22",
        "result": "not_confirmed",
        "note": note,
    }
    labels = (
        "twentieth pass (strict second reading): ",
        "Forty-third pass, flagged rows settled: second reading of the same day (written "
        "standard): ",
        "Random sample (seed 20261229): ",
        "Random sample (seed 20261231), third reading (ruling on the two readers' findings): ",
    )
    for note in [label + missing for label in labels] + [f"Re-checked: {missing}"]:
        checked = with_audit(fixture_package, row(note))
        content = card.build(checked, event_id)
        (caution,) = [c for c in content.cautions if "Not confirmed" in c]
        assert caution == (
            "Not confirmed by the pages read: the last reading of its pages (2026-11-22) "
            "could not confirm every statement."
        )
        assert content.unconfirmed.endswith(missing)
        assert not any(w in content.unconfirmed for w in ("pass", "sample", "reading"))
        # a note that does not open with a check's name is shown whole
        assert ("Re-checked" in content.unconfirmed) == note.startswith("Re-checked")


def test_a_check_that_read_no_page_neither_confirms_nor_hides_a_not_confirmed(fixture_package):
    event_id = "1918-03-baku-march-days"
    before = card.build(fixture_package, event_id)
    assert any(c.startswith("Not confirmed") for c in before.cautions)
    note = "desk check (no look-ups): 'about 12,000' for '12,000', as the page quoted"
    row = lambda day, result, method: event_check(event_id, day, result, method, note)  # noqa: E731
    reworded = with_audit(fixture_package, row("2026-11-25", "corrected", "desk"))
    content = card.build(reworded, event_id)
    assert any(c.startswith("Not confirmed") for c in content.cautions)
    # the page check's account, not the desk's
    assert content.unconfirmed.startswith("the cited pages are a personal site")
    assert content.checked == (
        "not confirmed against its sources on 2026-11-21; "
        "reworded on 2026-11-25 without a new reading of the pages"
    )
    # a later reading of the pages does lift it
    read = with_audit(reworded, row("2026-11-26", "confirmed", "pages"))
    content = card.build(read, event_id)
    assert not any(c.startswith("Not confirmed") for c in content.cautions)
    assert content.unconfirmed is None
    assert content.checked == "confirmed against its sources on 2026-11-26"


def test_a_cut_since_the_last_reading_is_told_apart_from_a_rewording(fixture_package):
    """A cut only takes statements out: the card says the row was shortened, not reworded, and
    the last reading's result still stands; a rewording after it is still told."""
    event_id = "1918-03-baku-march-days"
    row = lambda day, result, method: event_check(event_id, day, result, method)  # noqa: E731
    read = with_audit(fixture_package, row("2026-11-26", "confirmed", "pages"))
    cut = with_audit(read, row("2026-11-27", "corrected", "cut"))
    content = card.build(cut, event_id)
    assert content.checked == (
        "confirmed against its sources on 2026-11-26; "
        "shortened on 2026-11-27 (statements taken out, nothing added)"
    )
    assert card.audit_standing(cut).loc[event_id].tolist() == [
        "confirmed",
        "2026-11-26",
        False,
        True,
    ]
    reworded = with_audit(cut, row("2026-11-28", "corrected", "desk"))
    assert card.build(reworded, event_id).checked == (
        "confirmed against its sources on 2026-11-26; "
        "reworded on 2026-11-28 without a new reading of the pages; "
        "shortened on 2026-11-27 (statements taken out, nothing added)"
    )
    # a cut is no reading: it neither confirms a row nor lifts its flag
    flagged = with_audit(fixture_package, row("2026-11-27", "corrected", "cut"))
    assert any(c.startswith("Not confirmed") for c in card.build(flagged, event_id).cautions)
    # a new reading of the pages settles it
    again = with_audit(cut, row("2026-11-29", "confirmed", "pages"))
    assert card.build(again, event_id).checked == "confirmed against its sources on 2026-11-29"


def test_a_claim_stays_not_confirmed_after_a_desk_rewording(fixture_package):
    claim_id = "1988-02-20-nkao-soviet-transfer-request.1"
    rows = [
        {"table": "claims", "row_id": claim_id, "checked_on": "2026-11-22"}
        | {"result": "not_confirmed", "method": "pages", "note": "page did not come back"},
        {"table": "claims", "row_id": claim_id, "checked_on": "2026-11-23"}
        | {"result": "corrected", "method": "desk", "note": "a quotation mark taken out"},
    ]
    checked = with_audit(fixture_package, *rows)
    assert claim_id in card.unconfirmed_claims(checked)


def test_the_audit_standing_of_every_event_is_what_its_card_says(fixture_package):
    """The Sources page counts events by card.audit_standing; each count must match the cards."""
    event_id = "1918-03-baku-march-days"
    row = lambda day, result, method: event_check(event_id, day, result, method)  # noqa: E731
    reworded = with_audit(fixture_package, row("2026-11-25", "corrected", "desk"))
    read = with_audit(reworded, row("2026-11-26", "confirmed", "pages"))
    for package in (fixture_package, reworded, read):
        standing = card.audit_standing(package)
        for eid in package.events["id"]:
            content = card.build(package, eid)
            known = eid in standing.index
            assert known == (content.checked is not None), eid
            if known:
                assert (standing.loc[eid, "result"] == "not_confirmed") == (
                    content.unconfirmed is not None
                ), eid
                assert bool(standing.loc[eid, "reworded"]) == ("reworded" in content.checked)
    assert card.audit_standing(reworded).loc[event_id].tolist() == [
        "not_confirmed",
        "2026-11-21",
        True,
        False,
    ]
    assert card.audit_standing(read).loc[event_id].tolist() == [
        "confirmed",
        "2026-11-26",
        False,
        False,
    ]


def test_each_cards_claim_flags_are_those_of_the_whole_audit(fixture_package):
    """A card reads the audit of its own claims only; the flags must be the whole table's."""
    first, second = fixture_package.claims["id"].iloc[:2]
    claim = lambda claim_id, day, result: audit_row("claims", claim_id, day, result, "pages")  # noqa: E731
    # the later day wins even when its row comes first in the file
    checked = with_audit(
        fixture_package,
        claim(first, "2026-11-24", "not_confirmed"),
        claim(first, "2026-11-23", "confirmed"),
        claim(second, "2026-11-23", "not_confirmed"),
        claim(second, "2026-11-24", "confirmed"),
    )
    everywhere = card.unconfirmed_claims(checked)
    assert first in everywhere and second not in everywhere
    for event_id in checked.events["id"]:
        content = card.build(checked, event_id)
        ids = checked.claims.loc[checked.claims["event_id"] == event_id, "id"]
        flagged = [c for _, side in content.claims for c in side if not c.confirmed]
        assert len(flagged) == len(everywhere & set(ids)), event_id


def test_a_claim_reworded_at_a_desk_since_its_reading_says_so_until_read_again(fixture_package):
    """A desk check may reword a claim; its line then says so, as an event's audit line does."""
    claim_id = fixture_package.claims["id"].iloc[0]
    event_id = fixture_package.claims["event_id"].iloc[0]
    claims_text = fixture_package.claims["claim"].iloc[0]
    claim = lambda day, result, method: audit_row("claims", claim_id, day, result, method)  # noqa: E731

    def line(package):
        content = card.build(package, event_id)
        (mine,) = [c for _, side in content.claims for c in side if c.claim == claims_text]
        return mine

    read = with_audit(fixture_package, claim("2026-11-23", "confirmed", "pages"))
    assert line(read).flag == ""
    reworded = with_audit(read, claim("2026-11-24", "corrected", "desk"))
    assert line(reworded).flag == f" *({card.REWORDED_CLAIM})*"
    assert claim_id in card.reworded_claims(reworded)
    # a desk rewording of a claim its reading could not confirm keeps both marks
    doubtful = with_audit(
        fixture_package,
        claim("2026-11-23", "not_confirmed", "pages"),
        claim("2026-11-24", "corrected", "desk"),
    )
    assert line(doubtful).flag == f" *({card.UNCONFIRMED_CLAIM}; {card.REWORDED_CLAIM})*"
    # reading its page again settles it
    again = with_audit(reworded, claim("2026-11-25", "confirmed", "pages"))
    assert line(again).flag == ""
    assert claim_id not in card.reworded_claims(again)
