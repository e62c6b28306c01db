"""How fast letters render: one letter (median of 20) and a 500-letter batch.

Targets (issue 7): one letter ≤ 50 ms, a 500-letter batch ≤ 15 s.
Run: python benchmarks/bench_letters.py
"""

from __future__ import annotations

import statistics
import time

from crofton_desk.letters import KINDS, render_batch, render_letter
from crofton_desk.letters.samples import sample_letter

SINGLE_TARGET_MS = 50.0
BATCH_TARGET_S = 15.0
BATCH_SIZE = 500


def _one(kind: str) -> float:
    spec = sample_letter(kind)
    start = time.perf_counter()
    render_letter(
        spec.kind,
        letterhead=spec.letterhead,
        addressee=spec.addressee,
        signatory=spec.signatory,
        letter_date=spec.letter_date,
        reference=spec.reference,
        values=spec.values,
    )
    return (time.perf_counter() - start) * 1000


def main() -> dict[str, float]:
    kinds = list(KINDS)
    _one("identity-request")  # warm up: fonts are parsed once per process
    single = statistics.median(_one("identity-request") for _ in range(20))
    letters = [sample_letter(kinds[i % len(kinds)], i) for i in range(BATCH_SIZE)]
    start = time.perf_counter()
    pdf = render_batch(letters)
    batch = time.perf_counter() - start
    figures = {
        "single_letter_ms": round(single, 1),
        "batch_500_s": round(batch, 2),
        "batch_pdf_mb": round(len(pdf) / 1_000_000, 2),
    }
    print(
        f"One letter (identity request, median of 20): {single:.1f} ms "
        f"(target ≤ {SINGLE_TARGET_MS:.0f} ms)"
    )
    print(
        f"Batch of {BATCH_SIZE} letters (all kinds): {batch:.2f} s "
        f"(target ≤ {BATCH_TARGET_S:.0f} s), {figures['batch_pdf_mb']} MB"
    )
    return figures


if __name__ == "__main__":
    main()
