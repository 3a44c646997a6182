"""`python -m timeline validate`: exit codes and the FILE:LINE: COLUMN: message lines."""

from __future__ import annotations

import shutil
import subprocess
import sys

from timeline import __main__, load, schema

from .conftest import FIXTURE_DATA, ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "timeline", "validate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_package_is_valid_with_its_counts_by_publisher_type(fixture_package):
    result = run("--package", str(FIXTURE_DATA))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    pkg = fixture_package
    assert lines[0] == (
        f"fixture_data/: valid ({len(pkg.events)} events, {len(pkg.sources)} sources, "
        f"{len(pkg.claims)} claims, {len(pkg.places)} places, "
        f"{len(pkg.displacement)} displacement figures, {len(pkg.publishers)} publishers, "
        f"{len(pkg.audit)} audit rows)"
    )
    assert lines[1].startswith("sources by publisher type: newspaper 9, ")
    assert "mirror_or_aggregator 8" in lines[1] and "ngo 1" in lines[1]
    assert lines[2].startswith("events citing each publisher type: ")
    assert lines[3] == (
        "audit: events 3 of 12 checked, claims 0 of 14 checked; "
        "results: confirmed 2, corrected 2, not_confirmed 1; checks that read no page: 1"
    )
    assert lines[4] == "sources cited by no row: 0"


def test_a_source_that_no_row_cites_is_named(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    sources = data / "sources.csv"
    with sources.open("a", encoding="utf-8") as f:
        f.write(
            "zz-unused-page,A page no row rests on,Al-Masdar News,,2020-10-12,"
            "https://www.almasdarnews.com/article/unused/,international,news,en,"
            "al-masdar-news,,\n"
        )
    assert __main__.main(["validate", "--package", str(data)]) == 0  # listed, not refused
    out = capsys.readouterr().out.splitlines()
    assert "sources cited by no row: 1 (zz-unused-page)" in out


def test_events_that_say_they_lack_an_editorial_source_are_a_counted_warning():
    result = run("--package", str(FIXTURE_DATA))
    assert result.returncode == 0  # each says so on its card: kept, and counted
    warnings = [line for line in result.stdout.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        "warning: data/events.csv:2: source_ids: rests only on sources without editorial "
        "responsibility (cryer-march-days: blog_or_personal; enacademic-march-days: "
        "mirror_or_aggregator)",
        "warning: data/events.csv:7: source_ids: rests only on sources without editorial "
        "responsibility (stringtranslate-unsc-853-es: mirror_or_aggregator; "
        "karabakh99-20201030-unsc-853: partisan_site)",
        "warning: 2 events rest only on sources without editorial responsibility "
        "(kept: each says so in its figures_note, and its card shows it)",
    ]


def test_an_event_on_copies_alone_that_does_not_say_so_is_refused(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    events = data / "events.csv"
    text = events.read_text(encoding="utf-8")
    declaration = " Rests on a blog and a copy of a reference work only; no source with " + (
        "editorial responsibility found."
    )
    assert declaration in text
    events.write_text(text.replace(declaration, ""), encoding="utf-8")
    assert __main__.main(["validate", "--package", str(data)]) == 1
    out = capsys.readouterr().out
    assert (
        "data/events.csv:2: source_ids: rests only on sources without editorial responsibility"
    ) in out
    assert "warning: data/events.csv:7:" in out  # the other still says so: kept
    shown = set(load.load_package(data).events["id"])
    assert "1918-03-baku-march-days" not in shown
    assert "1993-07-29-unsc-resolution-853" in shown


def test_the_sourcing_rule_as_an_error_fails_and_leaves_the_events_out(monkeypatch, capsys):
    monkeypatch.setattr(schema, "SOURCING_RULE", "error")
    assert __main__.main(["validate", "--package", str(FIXTURE_DATA)]) == 1
    out = capsys.readouterr().out
    assert "warning:" not in out
    assert (
        "data/events.csv:2: source_ids: rests only on sources without editorial responsibility"
    ) in out
    shown = load.load_package(FIXTURE_DATA).events["id"]
    assert "1918-03-baku-march-days" not in set(shown) and len(shown) == 10


def test_good_and_bad_files(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("id,start_date,title\na,1918,One\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,start_date,title\na,1918-02-30,One\n", encoding="utf-8")
    result = run(str(good), str(bad))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "good.csv: valid (1 events, ours format)"
    assert lines[1].startswith("bad.csv:2: start_date: not a date")
    assert result.stderr == ""


def test_unreadable_inputs_get_one_line_each(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    binary = tmp_path / "pic.csv"
    binary.write_bytes(bytes(range(256)))
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,start_date,title\na,1918,Caf\xe9\n".encode("latin-1"))
    missing = tmp_path / "nope.csv"
    result = run(str(empty), str(binary), str(latin), str(missing))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 4
    assert lines[0] == "empty.csv:1: -: the file is empty"
    assert lines[1].startswith("pic.csv:1: -: this is not a text file")
    assert lines[2].startswith("latin.csv:2: -: the file is not UTF-8 text")
    assert lines[3].startswith("nope.csv:1: -: cannot read the file")


def test_timelinejs_sheet_is_detected(tmp_path):
    sheet = tmp_path / "tj.csv"
    sheet.write_text(
        "\ufeffYear,Month,Day,Headline,Text,Group,,\n2023,9,,Month only,<b>x</b>,War,,\n",
        encoding="utf-8",
    )
    result = run(str(sheet))
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "tj.csv: valid (1 events, timelinejs format)"


def test_figures_too_large_and_folders_get_messages_not_tracebacks(tmp_path):
    huge = tmp_path / "huge.csv"
    huge.write_text(
        "id,start_date,title,deaths_low\na,1918,One,100000000000000000000\n", encoding="utf-8"
    )
    result = run(str(huge), str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.strip().splitlines() == [
        "huge.csv:2: deaths_low: too large a number (got '100000000000000000000'); "
        "at most 1,000,000,000,000,000",
        f"{tmp_path.name}:1: -: this is a folder, not a file; give the path of a CSV file",
    ]


def test_output_piped_into_a_reader_that_has_gone_ends_without_a_traceback():
    """`python -m timeline validate | head -1`: the reader leaves early; no traceback follows."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "timeline", "validate", "--package", str(FIXTURE_DATA)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line is written
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
