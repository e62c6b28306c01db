"""Benchmarks: scripts that print figures, not timed tests. `python -m benchmarks` runs them."""


def print_figures(figures: dict[str, float], targets: dict[str, float], width: int = 24) -> None:
    """One line a figure, in seconds, with its target and whether it was met."""
    for name, value in figures.items():
        target = targets.get(name)
        verdict = "" if target is None else (" ok" if value <= target else " OVER TARGET")
        limit = "" if target is None else f" (target ≤ {target} s)"
        print(f"{name:{width}} {value:8.3f} s{limit}{verdict}")
