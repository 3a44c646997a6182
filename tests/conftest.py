from __future__ import annotations

from pathlib import Path

import pytest

from timeline import load

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = Path(__file__).resolve().parent / "fixture_data"


@pytest.fixture(scope="session")
def package() -> load.Package:
    """The bundled data package (only tests/test_data.py should need it)."""
    return load.load_package()


@pytest.fixture(scope="session")
def fixture_package() -> load.Package:
    """The small package in tests/fixture_data: what code tests run on."""
    return load.load_package(FIXTURE_DATA)


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")
