"""`python -m api.importer [--kind K] [--dry-run] FILE.csv`: legacy registers in, all or nothing.

One CSV per record kind (workers with enrollments, nominees, claims, pensions; layout in
docs/contracts.md, "Legacy registers"). Prints line numbers, columns, reasons and counts only:
never a value from the file, so the output can be kept and shared.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from api.importer.fields import Fate, RowError
from api.importer.run import KINDS, ImportResult, import_file

__all__ = ["Fate", "ImportResult", "RowError", "import_file", "main"]


def _counts(result: ImportResult) -> str:
    c = result.counts
    return (
        f"{c['insert']} insert, {c['update']} update, {c['unchanged']} unchanged, "
        f"{c['error']} error"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.importer", description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--kind", choices=sorted(KINDS), help="default: told by the header")
    parser.add_argument(
        "--dry-run", action="store_true", help="print every row's fate, write nothing"
    )
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:
        return 2 if exc.code else 0

    def show(fate: Fate) -> None:
        if args.dry_run:
            would = fate.action in ("insert", "update")
            print(str(fate).replace(": ", ": would ", 1) if would else fate)

    result = import_file(args.file, kind=args.kind, dry_run=args.dry_run, on_fate=show)
    if not result.ok:
        if not args.dry_run:
            for error in result.errors:
                print(error, file=sys.stderr)
        rows = result.counts["error"] or 1
        print(
            f"{result.kind or 'file'}: {len(result.errors)} problem(s) in {rows} row(s); "
            "nothing imported",
            file=sys.stderr,
        )
        return 1
    verb = "would import" if args.dry_run else "imported"
    print(f"{result.kind}: {verb}: {_counts(result)}")
    return 0
