"""Benchmarks: scripts that print figures, not timed tests. `python -m benchmarks` runs them."""
