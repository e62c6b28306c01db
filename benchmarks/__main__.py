"""Run every benchmark and print its figures: `python -m benchmarks [name ...]`.

Each benchmark is a module benchmarks/bench_<name>.py with a main() returning a dict of figures.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(names: list[str]) -> int:
    found = sorted(p.stem[len("bench_") :] for p in Path(__file__).parent.glob("bench_*.py"))
    # Not by default: packaging builds the frozen app; trust needs a PostgreSQL server.
    chosen = names or [name for name in found if name not in ("packaging", "trust")]
    for name in chosen:
        if name not in found:
            print(f"no benchmark called {name!r}; there are: {', '.join(found)}")
            return 2
        print(f"=== {name}", flush=True)
        module = importlib.import_module(f"benchmarks.bench_{name}")
        figures = module.main()
        for key, value in figures.items():
            print(f"{name}.{key} = {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
