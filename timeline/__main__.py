"""Command line: `python -m timeline validate [--package DIR] [FILE ...]`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from timeline import load, schema, sourcing


def validate_package(data_dir: Path) -> list[load.Problem]:
    """Validate a data package; print its counts, the counts by publisher type, the audit's
    coverage, the sources no row cites, and the events that break the sourcing rule while it is
    a warning (neither changes the exit status)."""
    package = load.load_package(data_dir)
    label = f"{data_dir.name}/"
    if not package.problems:
        print(
            f"{label}: valid ({len(package.events)} events, {len(package.sources)} sources, "
            f"{len(package.claims)} claims, {len(package.places)} places, "
            f"{len(package.displacement)} displacement figures, "
            f"{len(package.publishers)} publishers, {len(package.audit)} audit rows)"
        )
    by_source, by_event = sourcing.counts_by_type(
        package.events, package.sources, package.publishers
    )
    print(f"sources by publisher type: {sourcing.describe(by_source)}")
    print(f"events citing each publisher type: {sourcing.describe(by_event)}")
    tables = {"events": package.events, "claims": package.claims}
    print(f"audit: {sourcing.audit_coverage(tables, package.audit)}")
    idle = package.uncited_sources()
    print(f"sources cited by no row: {len(idle)}" + (f" ({', '.join(idle)})" if idle else ""))
    for warning in package.warnings:
        print(f"warning: {warning}")
    if package.warnings:
        print(
            f"warning: {len(package.warnings)} events rest only on sources without editorial "
            + (
                "responsibility (kept: each says so in its figures_note, and its card shows it)"
                if schema.SOURCING_RULE == "declared"
                else "responsibility (a warning while schema.SOURCING_RULE is "
                f'"{schema.SOURCING_RULE}")'
            )
        )
    return package.problems


def validate(files: list[str], data_dir: Path | None = None) -> int:
    problems: list[load.Problem] = []
    if not files or data_dir is not None:
        problems += validate_package(data_dir or load.DATA_DIR)
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
        help="validate the bundled data package (or DIR), or each FILE as an events table",
    )
    check.add_argument("--package", metavar="DIR", help="a data package folder (default: data/)")
    check.add_argument("files", nargs="*", metavar="FILE")
    args = parser.parse_args(argv)
    return validate(args.files, Path(args.package) if args.package else None)


def run() -> int:
    """main(), ending quietly when the reader of the output has gone (`... | head -1`)."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # nothing more can be written; point stdout at /dev/null so the exit flush is silent
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


if __name__ == "__main__":
    sys.exit(run())
