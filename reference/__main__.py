"""Print the reference answers of all seven lessons: ``python -m reference``."""

from __future__ import annotations

import importlib
import json
import sys

import matplotlib

matplotlib.use("Agg")

from reference.lessons import LESSONS  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    as_json = "--json" in (argv if argv is not None else sys.argv[1:])
    answers = {}
    for name in LESSONS:
        module = importlib.import_module(f"reference.lessons.{name}")
        answers[name] = module.summary()
    if as_json:
        print(json.dumps(answers, indent=2, default=str))
        return 0
    for name, summary in answers.items():
        print(f"== {name}")
        for key, value in summary.items():
            print(f"   {key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
