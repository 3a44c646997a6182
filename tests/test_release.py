"""The release number a reader cites is the same wherever the project prints it."""

from __future__ import annotations

import re
import tomllib

from timeline import load, ui

from .conftest import ROOT

CITE_LINE = re.compile(r"data release (\d+\.\d+\.\d+) \(\d{4}\)")


def pyproject_version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def test_every_citation_line_carries_the_pyproject_release():
    version = pyproject_version()
    places = {
        "the app's citation": ui.CITATION,
        "README.md": (ROOT / "README.md").read_text(encoding="utf-8"),
        "data/LICENSE.md": (ROOT / "data" / "LICENSE.md").read_text(encoding="utf-8"),
    }
    for place, text in places.items():
        cited = set(CITE_LINE.findall(text))
        assert cited, f"{place} has no 'data release X.Y.Z (YEAR)' line"
        assert cited == {version}, f"{place} cites {cited}, pyproject says {version}"


def test_citation_cff_and_changelog_name_the_pyproject_release():
    version = pyproject_version()
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r"^version: (\S+)$", cff, re.M).group(1) == version
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"^## (\d+\.\d+\.\d+) ", changelog, re.M).group(1)
    assert newest == version, f"CHANGELOG's newest entry is {newest}, pyproject says {version}"


def test_the_app_reads_its_release_from_citation_cff(tmp_path):
    cff = tmp_path / "CITATION.cff"
    cff.write_text("cff-version: 1.2.0\nversion: 4.5.6\ndate-released: 2031-02-03\n", "utf-8")
    assert "data release 4.5.6 (2031)" in load.citation_line(cff)


def test_a_missing_or_broken_citation_cff_leaves_a_citation_without_a_release(tmp_path):
    broken = tmp_path / "CITATION.cff"
    broken.write_text("version: soon\n", "utf-8")
    for path in (broken, tmp_path / "absent.cff"):
        line = load.citation_line(path)
        assert line.startswith("Nagorno-Karabakh: a sourced timeline")
        assert "release" not in line
