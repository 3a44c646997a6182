#!/usr/bin/env bash
# Recompile the hashed locks from requirements.in and requirements-dev.in (needs `uv`:
# `pip install uv==0.13.8`). Run after changing a direct dependency; commit all four files.
set -euo pipefail
cd "$(dirname "$0")/.."
for name in requirements requirements-dev; do
  uv pip compile "$name.in" --python-version 3.11 --generate-hashes \
    --index-url https://pypi.org/simple --quiet -o "$name.txt"
done
