"""A deadline's explanation as a short numbered list of steps, not one paragraph."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape


def steps_html(steps: Sequence[str], fallback: str = "") -> str:
    """Rich text: the steps numbered one a line; `fallback` as a plain paragraph if no steps."""
    shown = [_capital(step.strip()) for step in steps if step.strip()]
    if not shown:
        return escape(fallback)
    if len(shown) == 1:
        return escape(shown[0])
    items = "".join(f"<li>{escape(step)}</li>" for step in shown)
    return f"<ol style='margin-left:0px; -qt-list-indent:1'>{items}</ol>"


def _capital(step: str) -> str:
    """Each step starts a line of its own, so it starts with a capital ("One calendar month")."""
    return step[:1].upper() + step[1:]
