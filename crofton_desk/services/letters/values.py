"""A letter's values, from the record and what a person typed, checked and drawn."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from sqlalchemy.orm import Session

from crofton_desk.domain.deadlines import (
    ICO_STOP_THE_CLOCK_FROM,
    REGIME_ART12A,
    REGIME_DPA1998,
    extension_law,
    regime_for,
)
from crofton_desk.domain.validation import ValidationError
from crofton_desk.letters import (
    Addressee,
    LetterSpec,
    Value,
    missing_values,
    render_letter,
)
from crofton_desk.letters.samples import regulator_values
from crofton_desk.letters.templates import (
    CLARIFICATION_REQUEST,
    EDUCATIONAL_RECORD_COPY_FEE,
    EDUCATIONAL_RECORD_INSPECTION,
    ER_CLARIFICATION,
    ER_IDENTITY,
    ER_REFUSAL,
    EXTENSION,
    FEE_NOTICE,
    IDENTITY_REQUEST,
    REFUSAL,
    RESPONSE_COVER,
    default_template,
)
from crofton_desk.services.letters.model import (
    _FEE_GROUND_WORDS,
    _FIX_ELSEWHERE,
    _INPUTS,
    _MODE_WORDS,
    _REQUEST_WORDS,
    DEFAULT_AUTOMATED,
    DEFAULT_ENCLOSURE,
    DEFAULT_SOURCE,
    DEFAULT_TRANSFERS,
    SCHOOL_PURPOSES,
    letterhead_for,
    signatory_for,
)
from crofton_desk.services.letters.record import (
    _due_dates,
    _extension_months,
    _load,
    _open_question,
    _pupil_names,
    _Register,
)
from crofton_desk.services.profile import Profile, profile_of
from crofton_desk.services.requests import RequestDetail
from crofton_desk.store.database import Database, plain_errors

# --- values ------------------------------------------------------------------------------------


def _money(pence: int) -> str:
    return f"£{pence // 100}.{pence % 100:02d}"


def _defaults(
    kind: str, facts: RequestDetail, register: _Register, profile: Profile
) -> dict[str, str]:
    """What each input of `kind` starts as, from the record (one item per line for lists)."""
    if kind in (IDENTITY_REQUEST, ER_IDENTITY):
        # What the recorded doubt needs, as recorded: never a default list of documents.
        return {
            "identity_reason": facts.identity_reason,
            "identity_documents": facts.identity_requested_what,
        }
    if kind in (CLARIFICATION_REQUEST, ER_CLARIFICATION):
        return {"clarification_question": _open_question(facts)}
    if kind == EXTENSION:
        return {"extension_reason": facts.extension_reason}
    if kind in (REFUSAL, ER_REFUSAL):
        return {"refusal_reason": facts.refusal_reason}
    if kind == FEE_NOTICE:
        return {
            "fee_amount": _money(facts.fee_pence) if facts.fee_pence is not None else "",
            "fee_ground": _FEE_GROUND_WORDS.get(facts.fee_ground, ""),
            "payment_instructions": (
                "Please bring the fee to the school office, in cash or by cheque payable to "
                f"{profile.name or 'the school'}, in an envelope marked with our reference."
            ),
        }
    if kind == RESPONSE_COVER:
        return {
            "enclosures": DEFAULT_ENCLOSURE,
            "purposes_list": "\n".join(SCHOOL_PURPOSES),
            "categories_list": "\n".join(register.categories),
            "recipients_list": "\n".join(register.recipients),
            "retention": register.retention,
            "source_of_data": DEFAULT_SOURCE,
            "automated_decisions": DEFAULT_AUTOMATED,
            "international_transfers": DEFAULT_TRANSFERS,
        }
    if kind == EDUCATIONAL_RECORD_INSPECTION:
        phone = f" on {profile.phone}" if profile.phone.strip() else ""
        return {
            "inspection_arrangements": (
                f"Please call the school office{phone} to choose a day and time that suits you. "
                "A member of staff will sit with you while you read the record and will answer "
                "any questions."
            )
        }
    if kind == EDUCATIONAL_RECORD_COPY_FEE:
        pence = facts.fee_pence if facts.fee_pence is not None else register.fee_pence
        return {
            "fee_amount": _money(pence) if pence is not None else "",
            "payment_instructions": (
                "Please bring the fee to the school office, in cash or by cheque payable to "
                f"{profile.name or 'the school'}, in an envelope marked with our reference."
            ),
        }
    return {}


def _pence_in(value: Value | None) -> int | None:
    """The first amount in pounds in a typed value ('£4.50 (45 pages)' -> 450), if any."""
    match = re.search(r"£\s*(\d+)(?:\.(\d{2}))?", value if isinstance(value, str) else "")
    if match is None:
        return None
    return int(match.group(1)) * 100 + int(match.group(2) or 0)


def _check_copy_fee(value: Value | None, governors_pence: int | None) -> None:
    """A copy of an educational record costs no more than the governors' fee (cost of supply)."""
    pence = _pence_in(value)
    if pence is None or governors_pence is None:
        return
    if pence > governors_pence:
        raise ValidationError(
            {"fee_amount": f"{_money(pence)} is more than the governors' copy fee of "
             f"{_money(governors_pence)}: a copy costs no more than the cost of supply."}
        )  # fmt: skip


def _request_words(facts: RequestDetail) -> str:
    if facts.kind == "educational_record" and facts.mode in _MODE_WORDS:
        return _MODE_WORDS[facts.mode]
    return _REQUEST_WORDS.get(facts.kind, "request")


def _law_values(facts: RequestDetail) -> dict[str, Value]:
    """The words of the law of the request's own time, for the placeholders that cite it."""
    if facts.kind != "sar":
        return {}
    regime = regime_for(facts.received_on)
    pauses_count = regime == REGIME_ART12A or facts.received_on >= ICO_STOP_THE_CLOCK_FROM
    if regime == REGIME_DPA1998:
        clock_law = "Data Protection Act 1998, section 7"
        time_limit = "40 days"
        pause_rule = (
            "We do not have to reply until we have your answer (Data Protection Act 1998, "
            "section 7(3)). Our 40 days begin with the day we receive it, and we will write to "
            "tell you the date by which you will receive our reply."
        )
        fee_rule = (
            "Our 40 days to reply begin with the day we have both the fee and anything else we "
            "have asked for (Data Protection Act 1998, section 7(10))."
        )
        access_law = "Data Protection Act 1998, section 7"
        extension_note = "The law (the Data Protection Act 1998) does not allow us more time."
    else:
        clock_law = (
            "UK GDPR Article 12A"
            if regime == REGIME_ART12A
            else "the Information Commissioner's guidance on the right of access"
        )
        time_limit = "one calendar month"
        pause_law = (
            "UK GDPR Article 12A"
            if regime == REGIME_ART12A
            else "the Information Commissioner's guidance on the right of access"
        )
        pause_rule = (
            f"While we wait for your answer, the time we have to reply stops ({pause_law}). It "
            "starts again on the day after the day we receive your answer, and we will write to "
            "tell you the new date by which you will receive our reply."
            if pauses_count
            else "Please reply as soon as you can, so that we can answer your request in time."
        )
        fee_rule = (
            "The time we have to reply starts on the day we receive the fee "
            f"({clock_law}). If we do not receive it, we will not be able to go ahead."
        )
        access_law = "UK GDPR Article 15"
        extension_note = (
            "If your request is complex, the law allows us up to two further months; if we need "
            "them, we will tell you why within the first month."
        )
    values: dict[str, Value] = {
        "clock_law": clock_law,
        "time_limit": time_limit,
        "pause_rule": pause_rule,
        "fee_rule": fee_rule,
        "access_law": access_law,
        "extension_note": extension_note,
    }
    law = extension_law(facts.received_on)
    if law:
        values["extension_law"] = law
        values["extension_length"] = (
            "one further month" if _extension_months(facts) == 1 else "two further months"
        )
    return values


def _record_values(facts: RequestDetail, profile: Profile) -> dict[str, Value]:
    values: dict[str, Value] = {
        "requester_name": facts.requester_name,
        "reference": facts.reference,
        "received_date": facts.received_on,
        "request_kind": _request_words(facts),
        "dpo_name": profile.dpo_name.strip(),
        "dpo_contact": profile.dpo_contact.strip(),
        **regulator_values(profile.regulator),
        **_law_values(facts),
    }
    if facts.pupils:
        values["pupil_names"] = _pupil_names(facts)
    elif facts.relationship == "self":
        values["pupil_names"] = "you"
    return values


def _typed(kind: str, typed: Mapping[str, str]) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for name, spec in _INPUTS[kind].items():
        if name not in typed:
            continue
        text = typed[name]
        if spec.is_list:
            values[name] = tuple(line.strip() for line in text.splitlines() if line.strip())
        else:
            values[name] = text.strip()
    return values


def _missing_message(kind: str, name: str) -> str:
    spec = _INPUTS[kind].get(name)
    if spec is not None:
        return f"Fill in '{spec.label}': the letter needs it"
    where = _FIX_ELSEWHERE.get(name, f"a value for {{{name}}}")
    return f"The letter needs {where}"


def _postal_problem(facts: RequestDetail) -> str:
    parts = (("first line of the address", facts.address_1), ("postcode", facts.postcode))
    missing = [what for what, value in parts if not value.strip()]
    if not missing:
        return ""
    email = f", or reply by email to {facts.email}" if facts.email else ""
    return (
        f"The letter to {facts.requester_name or 'the requester'} cannot be posted: the request "
        f"has no {' and no '.join(missing)}. Add the postal address on the request{email}"
    )


def _spec(
    db: Database,
    kind: str,
    reference: str,
    typed: Mapping[str, str] | None,
    today: date,
    profile: Profile | None = None,
    session: Session | None = None,
    facts: RequestDetail | None = None,
) -> LetterSpec:
    """Everything a letter needs, checked: raises ValidationError naming what is missing.

    Read in `session` if given, else in one session of its own (the request too, unless its
    `facts` are given)."""
    if session is None:
        with plain_errors(db), db.session() as own:
            return _spec(db, kind, reference, typed, today, profile, own, facts)
    loaded = _load(db, session, kind, reference, today, facts)
    kind = loaded.kind
    facts = loaded.facts
    profile = profile or profile_of(session)
    problem = _postal_problem(facts)
    if problem:
        raise ValidationError({"address": problem})
    signatory = signatory_for(profile)
    values: dict[str, Value] = _record_values(facts, profile)
    values.update(_due_dates(db, session, facts, kind, today))
    values.update(_typed(kind, _defaults(kind, facts, loaded.register, profile)))
    values.update(_typed(kind, typed or {}))
    if kind == EDUCATIONAL_RECORD_COPY_FEE:
        _check_copy_fee(values.get("fee_amount"), loaded.register.fee_pence)
    template = loaded.template if loaded.template is not None else default_template(kind)
    automatic: dict[str, Value] = {
        "letter_date": today,
        "school_name": profile.name,
        "school_address": ", ".join(profile.address_lines),
        "school_phone": profile.phone,
        "school_email": profile.email,
        "head_teacher": signatory.name,
    }
    missing = missing_values(template, {**automatic, **values})
    if missing:
        raise ValidationError({name: _missing_message(kind, name) for name in missing})
    return LetterSpec(
        kind=kind,
        letterhead=letterhead_for(profile),
        addressee=Addressee(facts.requester_name, facts.address_lines),
        signatory=signatory,
        letter_date=today,
        reference=facts.reference,
        values=values,
        template_text=loaded.template,
    )


def _draw(spec: LetterSpec) -> bytes:
    return render_letter(
        spec.kind,
        letterhead=spec.letterhead,
        addressee=spec.addressee,
        signatory=spec.signatory,
        letter_date=spec.letter_date,
        reference=spec.reference,
        values=spec.values,
        template_text=spec.template_text,
        your_reference=spec.your_reference,
    )
