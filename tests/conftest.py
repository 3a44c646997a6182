from __future__ import annotations

from pathlib import Path

import pytest

from timeline import load

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def package() -> load.Package:
    return load.load_package()


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")
