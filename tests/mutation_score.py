"""Mutation score per module from mutmut's results (run `mutmut run` first; see README).

    python -m tests.mutation_score          # killed / (killed + survived) per mutated module

Equivalent mutants (a change no test can observe, e.g. a default argument no caller relies on) are listed
with a one-line reason under [tool.mutmut.equivalent] in pyproject.toml and left out of the score.
A timeout is NOT counted as killed, unless the mutant is listed under [tool.mutmut.endless] with the loop it
makes endless: otherwise a timeout only says the machine was too busy to finish the tests in time. Rerun
those mutants by name (`mutmut run "<name>"`) until they are decided. Mutants no selected test reaches ("no tests") count as
survivors. Exit status 1 when a module is below the goal (90%).
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

GOAL = 0.90
KILLED = ("killed", "caught by type check", "endless")
ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    equivalent = settings.get("equivalent", {})
    endless = settings.get("endless", {})
    worst = 1.0
    for module in settings["only_mutate"]:
        meta = ROOT / "mutants" / f"{module}.meta"
        if not meta.exists():
            print(f"{module:40} not run")
            worst = 0.0
            continue
        statuses = {
            name: status_by_exit_code[code] for name, code in json.loads(meta.read_text())["exit_code_by_key"].items()
        }
        statuses |= {name: "endless" for name, status in statuses.items() if status == "timeout" and name in endless}
        counted = {name: status for name, status in statuses.items() if name not in equivalent}
        killed = sum(status in KILLED for status in counted.values())
        survived = sorted(name for name, status in counted.items() if status not in KILLED)
        total = killed + len(survived)
        score = killed / total if total else 1.0
        worst = min(worst, score)
        skipped = len(statuses) - len(counted)
        not_killed = Counter(statuses[name] for name in survived)
        parts = [f"{count} {status}" for status, count in sorted(not_killed.items())] + [f"{skipped} equivalent"]
        print(f"{module:40} {killed:4d}/{total:<4d} killed  {score:6.1%}   ({', '.join(parts)})")
        for name in survived:
            print(f"    {statuses[name]:10} {name}")
    return 0 if worst >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
