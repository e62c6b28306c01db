"""When a fee can be asked for a request, on what ground, and how much at most.

- Subject access under the UK GDPR (from 25 May 2018): free, unless the request is manifestly
  unfounded or excessive, or asks for further copies (Art 12(5), Art 15(3)); a reasonable fee
  based on the administrative cost. A ground must be recorded.
- Subject access under the Data Protection Act 1998: up to £10 (SI 2000/191 reg 3); where the
  request covered an educational record, the scale in Schedule 2 of those Regulations by the
  number of pages copied, up to £50.
- An educational record copy (2005 Regulations, reg 5): no more than the cost of supplying it,
  as the governing body sets; seeing the record is free.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crofton_desk.domain.dates import format_short_date
from crofton_desk.domain.deadlines import UK_GDPR_FROM
from crofton_desk.domain.validation import ValidationError

DPA1998_STANDARD_CAP_PENCE = 1000
DPA1998_EDUCATIONAL_CAP_PENCE = 5000

GROUND_UNFOUNDED_EXCESSIVE = "unfounded_excessive"
GROUND_FURTHER_COPIES = "further_copies"
GROUND_DPA1998_STANDARD = "dpa1998_standard"
GROUND_DPA1998_EDUCATIONAL = "dpa1998_educational"
GROUND_COST_OF_SUPPLY = "cost_of_supply"

GROUNDS: dict[str, str] = {
    GROUND_UNFOUNDED_EXCESSIVE: "Manifestly unfounded or excessive (UK GDPR Art 12(5))",
    GROUND_FURTHER_COPIES: "Further copies (UK GDPR Art 15(3))",
    GROUND_DPA1998_STANDARD: "1998 Act fee, up to £10",
    GROUND_DPA1998_EDUCATIONAL: "1998 Act educational record scale, up to £50",
    GROUND_COST_OF_SUPPLY: "Educational record copy: cost of supply (reg 5)",
}

#: SI 2000/191 Schedule 2: (fewest pages, fee in pence) for a copy of an educational record.
_EDUCATIONAL_SCALE: tuple[tuple[int, int], ...] = (
    (500, 5000),
    (450, 4500),
    (400, 4000),
    (350, 3500),
    (300, 3000),
    (250, 2500),
    (200, 2000),
    (150, 1500),
    (100, 1000),
    (90, 900),
    (80, 800),
    (70, 700),
    (60, 600),
    (50, 500),
    (40, 400),
    (30, 300),
    (20, 200),
    (0, 100),
)


def money(pence: int) -> str:
    return f"£{pence // 100}.{pence % 100:02d}"


def dpa1998_educational_cap(pages: int) -> int:
    """The most the 1998 Act allowed for a copy of an educational record of `pages` pages."""
    return next(fee for fewest, fee in _EDUCATIONAL_SCALE if pages >= fewest)


def grounds_for(kind: str, mode: str, received: date) -> tuple[str, ...]:
    """The grounds the law gives for a fee on this request (none: no fee can be asked)."""
    if kind == "educational_record":
        return (GROUND_COST_OF_SUPPLY,) if mode == "copy" else ()
    if received < UK_GDPR_FROM:
        return (GROUND_DPA1998_STANDARD, GROUND_DPA1998_EDUCATIONAL)
    return (GROUND_UNFOUNDED_EXCESSIVE, GROUND_FURTHER_COPIES)


@dataclass(frozen=True)
class FeeDecision:
    ground: str
    amount_pence: int
    explanation: str


def check_fee(
    *,
    kind: str,
    mode: str,
    received: date,
    amount_pence: int,
    ground: str,
    pages: int | None = None,
    governors_fee_pence: int | None = None,
) -> FeeDecision:
    """Refuse a fee the law does not allow, naming the field and the rule."""
    if amount_pence <= 0:
        raise ValidationError({"amount": "Enter the fee in pounds and pence, more than £0.00."})
    allowed = grounds_for(kind, mode, received)
    if not allowed:
        raise ValidationError(
            {"ground": "Seeing an educational record is free (reg 5 of the 2005 Regulations): "
             "no fee can be asked."}
        )  # fmt: skip
    if kind == "educational_record" and not ground:
        ground = GROUND_COST_OF_SUPPLY
    if ground not in allowed:
        if not ground and kind == "sar" and received >= UK_GDPR_FROM:
            message = (
                "A subject access request is free. A fee needs a recorded ground: the request "
                "is manifestly unfounded or excessive, or asks for further copies."
            )
        else:
            names = "; ".join(GROUNDS[code] for code in allowed)
            message = f"Choose the ground for the fee: {names}."
        raise ValidationError({"ground": message})
    if ground == GROUND_DPA1998_STANDARD and amount_pence > DPA1998_STANDARD_CAP_PENCE:
        raise ValidationError(
            {"amount": f"Under the Data Protection Act 1998 (received before "
             f"{format_short_date(UK_GDPR_FROM)}) the fee was at most £10.00."}
        )  # fmt: skip
    if ground == GROUND_DPA1998_EDUCATIONAL:
        if pages is None or pages <= 0:
            raise ValidationError(
                {"pages": "Enter the number of pages copied: the 1998 scale for an educational "
                 "record goes by pages (up to £50.00)."}
            )  # fmt: skip
        cap = dpa1998_educational_cap(pages)
        if amount_pence > cap:
            raise ValidationError(
                {"amount": f"For {pages} pages the 1998 scale allowed at most {money(cap)}."}
            )
    if ground == GROUND_COST_OF_SUPPLY:
        if governors_fee_pence is None:
            raise ValidationError(
                {"amount": "The governors set the copy fee at no more than the cost of supply: "
                 "enter it in Settings → School profile first."}
            )  # fmt: skip
        if amount_pence > governors_fee_pence:
            raise ValidationError(
                {"amount": f"More than the governors' copy fee of {money(governors_fee_pence)}: "
                 "a copy of an educational record costs no more than the cost of supply."}
            )  # fmt: skip
    return FeeDecision(ground, amount_pence, GROUNDS[ground])
