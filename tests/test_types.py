"""The type checker passes on the modules listed in pyproject.toml ([tool.mypy] files)."""

from __future__ import annotations

from mypy import api

from .conftest import ROOT


def test_mypy_is_clean(monkeypatch):
    monkeypatch.chdir(ROOT)
    out, err, status = api.run(["--no-error-summary"])
    assert status == 0, out + err
