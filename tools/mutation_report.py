"""Print `make mutate`'s score per module and its surviving mutants, from mutmut's results.

Reads the `.meta` files mutmut leaves next to each mutated module under `mutants/`; the
modules are the ones listed in pyproject.toml's [tool.mutmut] only_mutate.
"""

import json
import sys
import tomllib
from pathlib import Path

from mutmut.stats import status_by_exit_code

# A timeout counts as killed (the mutant made the code loop), as mutmut's own score does;
# "no tests" is a survivor: no test even runs that code.
KILLED = {"killed", "timeout", "caught by type check"}
SURVIVED = {"survived", "no tests"}


def main() -> int:
    modules = tomllib.loads(Path("pyproject.toml").read_text())["tool"]["mutmut"]["only_mutate"]
    print(f"{'module':32} {'killed':>7} {'survived':>9} {'not run':>8} {'score':>6}")
    survivors: list[str] = []
    for module in modules:
        meta = Path("mutants") / f"{module}.meta"
        if not meta.exists():
            print(f"{module:32} {'-':>7} {'-':>9} {'-':>8} {'-':>6}")
            continue
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        status = {key: status_by_exit_code[code] for key, code in codes.items()}
        killed = sum(value in KILLED for value in status.values())
        survived = [key for key, value in status.items() if value in SURVIVED]
        not_run = len(status) - killed - len(survived)
        done = killed + len(survived)
        score = f"{100 * killed / done:.0f}%" if done else "-"
        print(f"{module:32} {killed:>7} {len(survived):>9} {not_run:>8} {score:>6}")
        survivors += sorted(survived)
    if survivors:
        print(f"\n{len(survivors)} surviving mutants (see one with: .venv/bin/mutmut show NAME):")
        print("\n".join(f"  {name}" for name in survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
