"""Command line: `python -m timeline validate [FILE ...]`."""

from __future__ import annotations

import argparse
import sys

from timeline import load


def validate(files: list[str]) -> int:
    problems: list[load.Problem] = []
    if not files:
        package = load.load_package()
        problems = package.problems
        if not problems:
            print(
                f"data/: valid ({len(package.events)} events, {len(package.sources)} sources, "
                f"{len(package.claims)} claims, {len(package.places)} places, "
                f"{len(package.displacement)} displacement figures)"
            )
    for name in files:
        result = load.read_events_path(name)
        problems += result.problems
        if result.ok:
            print(f"{result.name}: valid ({len(result.events)} events, {result.format} format)")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m timeline")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "validate",
        help="validate the bundled data package, or each FILE as an events table",
    )
    check.add_argument("files", nargs="*", metavar="FILE")
    args = parser.parse_args(argv)
    return validate(args.files)


if __name__ == "__main__":
    sys.exit(main())
