"""The Data Sharing Policy as printed blocks: written for parents, built from plain data.

The service gathers the facts (the school profile, the active organisations in the recipient
register, the review dates); this module only words them. Nothing here reads the database, so the
wording can be tested on its own and the document can never say something the register does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from crofton_desk.domain.dates import format_uk_date
from crofton_desk.domain.regulator import Regulator

from .model import Block, Bullets, Heading, Letterhead, Para, SignatureLines, Table, Together
from .policy_clocks import other_clocks_blocks
from .render import render_document

TITLE = "Data Sharing Policy"
DRAFT_TITLE = "Data Sharing Policy (draft)"
#: This wording states the law as it stands from 19 June 2026 (the complaints duty): no review
#: approved before then can have approved it, so it prints as a draft until one does.
WORDING_FROM = date(2026, 6, 19)
NO_DPO = (
    "Not yet recorded. The school must name its data protection officer here (UK GDPR "
    "Article 37): add the name and contact in Settings → School profile."
)

#: The school's own reasons for holding information (the 2017 policy's, kept).
SCHOOL_PURPOSES: tuple[str, ...] = (
    "to support pupils' teaching and learning",
    "to monitor and report on their progress",
    "to provide appropriate pastoral care",
    "to assess how well the school as a whole is doing",
)

IDENTITY_PROMISE = (
    "may, before responding to this request, seek proof of the requestor's identity and any "
    "further information required to locate the information requested"
)


@dataclass(frozen=True)
class PolicyOrganisation:
    """One organisation as the policy describes it."""

    name: str
    purposes: str
    categories: tuple[str, ...]
    lawful_basis: str  # the words, e.g. "Legal obligation (Art 6(1)(c))"
    identifies_pupils: bool  # False: it publishes statistics that do not identify pupils
    art9_condition: str = ""
    legal_duty: str = ""
    onward: bool = False
    legal_obligation: bool = False  # the basis is Art 6(1)(c): the law requires the sharing


@dataclass(frozen=True)
class PolicyFacts:
    """Everything the printed policy says, as plain values."""

    school_name: str
    printed_on: date
    categories: tuple[str, ...]
    special_categories: tuple[str, ...]
    organisations: tuple[PolicyOrganisation, ...]
    is_academy: bool
    head_teacher: str = ""
    chair_of_governors: str = ""
    school_address: tuple[str, ...] = ()
    school_phone: str = ""
    school_email: str = ""
    dpo_name: str = ""
    dpo_contact: str = ""
    local_authority: str = ""
    last_review: date | None = None
    last_review_head: str = ""
    last_review_chair: str = ""
    next_review_due: date | None = None
    regulator: Regulator = field(default_factory=Regulator)

    @property
    def is_draft(self) -> bool:
        """True until a review approved on or after this wording was written approves it."""
        return self.last_review is None or self.last_review < WORDING_FROM


def _join(items: Sequence[str]) -> str:
    items = [item for item in items if item]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _organisation_blocks(org: PolicyOrganisation) -> list[Block]:
    blocks: list[Block] = [Heading(org.name)]
    if org.purposes.strip():
        blocks.append(Para(org.purposes.strip()))
    if org.identifies_pupils:
        identify = (
            "Can it identify your child? Yes: it receives information about individual pupils "
            "because its work needs it."
        )
    else:
        identify = (
            "Can it identify your child in what it publishes? No: it uses the information for "
            "statistics and publishes them in a way that does not identify individual pupils."
        )
    blocks.append(Para(identify))
    rows: list[tuple[str, str]] = [
        (
            "Information shared",
            ", ".join(org.categories) if org.categories else "None listed in the register",
        ),
        ("Lawful basis (UK GDPR)", org.lawful_basis or "Not recorded"),
    ]
    if org.art9_condition.strip():
        rows.append(("Special category condition", org.art9_condition.strip()))
    if org.legal_duty.strip():
        label = "The law that requires it" if org.legal_obligation else "The law behind the task"
        rows.append((label, org.legal_duty.strip()))
    blocks.append(Table(header=(), rows=tuple(rows), widths=(0.28, 0.72)))
    return [Together(tuple(blocks))]  # an organisation's section is never split over pages


def _rights_blocks(facts: PolicyFacts) -> list[Block]:
    blocks: list[Block] = [
        Heading("Your rights and your child's rights"),
        Para(
            "Pupils have rights over the information held about them under the UK General Data "
            "Protection Regulation (UK GDPR) and the Data Protection Act 2018. These replaced the "
            "Data Protection Act 1998 on 25 May 2018. Your child can use these rights as soon as "
            "they are old enough to understand them (usually from about the age of 12). Until "
            "then, parents can use them on their child's behalf."
        ),
        Bullets(
            (
                "The right of access: to be told whether we hold information about your child, "
                "to have a copy of it, and to be told why we hold it, who we share it with, how "
                "long we keep it and where it came from.",
                "The right to have wrong or incomplete information corrected.",
                "In some circumstances, the right to object to how information is used, to have "
                "it deleted, or to limit how it is used.",
                "The right to complain (see below).",
            )
        ),
        # The promise about proof of identity is the policy's heart: never split over pages.
        Together(
            (
                Heading("Asking for a copy of your child's information"),
                Para(
                    "You can ask in writing, by email or in person at the school office, or by "
                    "speaking to us. It is free. We will answer within one calendar month. If "
                    "the request is complex, or you make several, we may take up to two further "
                    "months; if so we will tell you why within the first month."
                ),
                Para(
                    "In order to fulfil its responsibilities under the law, the school "
                    f"{IDENTITY_PROMISE}. We only ask where we are not sure who you are, and "
                    "only for what we need. The month starts on the day we receive the request, "
                    "or, if we have asked for proof of identity (or, exceptionally, a fee), on "
                    "the day we receive it (UK GDPR Article 12A). If we need to ask you what "
                    "information you want, the time we wait for your answer does not count."
                ),
            )
        ),
        Para(
            "To ask another organisation in this policy for the information it holds, contact "
            "that organisation directly."
        ),
    ]
    if not facts.is_academy:
        blocks += [
            Heading("Your child's educational record"),
            Para(
                "Separately from data protection law, as the parent of a pupil at a maintained "
                "school you have the right to see your child's educational record, or to have a "
                "copy of it, whatever your child's age (the Education (Pupil Information) "
                "(England) Regulations 2005, regulation 5). Write to the school. You can see the "
                "record free of charge within 15 school days of your request. A copy is also "
                "provided within 15 school days; the governors may charge no more than the cost "
                "of supplying it."
            ),
        ]
    blocks += [
        Heading("If you are unhappy"),
        Para(
            "Please tell us first: write to the head teacher or to our data protection officer "
            "(details below). We will acknowledge your complaint within 30 days and look into it "
            "without undue delay."
        ),
        Para(
            f"You also have the right to complain to the {facts.regulator.name}, the independent "
            f"regulator for data protection ({facts.regulator.contact}), by post to:\n"
            + facts.regulator.postal
        ),
    ]
    return blocks


def policy_blocks(facts: PolicyFacts) -> tuple[Block, ...]:
    """The body of the policy, in the order a parent reads it."""
    school = facts.school_name.strip() or "The school"
    blocks: list[Block] = []
    if facts.is_draft:
        approved = (
            f"the policy last approved, in {facts.last_review:%B %Y}, remains the school's "
            "policy until then"
            if facts.last_review is not None
            else "no approved version is recorded"
        )
        blocks.append(
            Para(
                "DRAFT for the governors' review. This wording has not been approved: "
                f"{approved}. It becomes the policy when a review approves it and the head "
                "teacher and the chair of governors sign it."
            )
        )
    blocks += [
        Heading("Why we have this policy"),
        Para(
            f"{school} holds information about its pupils and shares some of it with other "
            "organisations: some because the law requires it, others because sharing is part of "
            "the public task of running the school. This policy tells you "
            "what information we hold, why we hold it, who we pass it to and why, and what "
            "rights you and your child have. Every organisation we share with is listed below, "
            "taken from the school's register of the organisations it shares data with."
        ),
        Heading("The information we hold and why"),
        Para(f"{school} holds information about pupils:"),
        Bullets(SCHOOL_PURPOSES),
    ]
    if facts.categories:
        listed = [
            f"{name} (special category data)" if name in facts.special_categories else name
            for name in facts.categories
        ]
        blocks += [
            Para("The information includes:"),
            Bullets(tuple(listed)),
        ]
    if facts.special_categories:
        blocks.append(
            Para(
                "Special category data (such as ethnic group, health and special educational "
                "needs) has extra protection in law: we use and share it only where one of the "
                "conditions in Article 9 of the UK GDPR applies, as noted for each organisation."
            )
        )
    direct = [org for org in facts.organisations if not org.onward]
    onward = [org for org in facts.organisations if org.onward]
    blocks += [
        Heading("Organisations we share information with"),
        Para(
            "We pass information to the organisations below. For each one we say what it uses "
            "the information for, what we share, the lawful basis under the UK GDPR and whether "
            "it can identify your child in what it publishes."
            if direct
            else "At present the register lists no organisation we share information with."
        ),
    ]
    for org in direct:
        blocks += _organisation_blocks(org)
    if onward:
        blocks += [
            Heading("Shared onward by the Department for Education"),
            Para(
                "The Department for Education may pass pupil information on to the "
                "organisations below. The school does not send it to them itself; each use is "
                "approved and controlled by the Department."
            ),
        ]
        for org in onward:
            blocks += _organisation_blocks(org)
    blocks += _rights_blocks(facts)
    blocks += other_clocks_blocks(facts.regulator.name)
    blocks += _contact_blocks(facts)
    blocks += _review_blocks(facts)
    return tuple(blocks)


def _contact_blocks(facts: PolicyFacts) -> list[Block]:
    school = facts.school_name.strip() or "The school"
    lines = [school]
    if facts.school_address:
        lines.append(", ".join(facts.school_address))
    if facts.school_phone:
        lines.append(f"Telephone: {facts.school_phone}")
    if facts.school_email:
        lines.append(f"Email: {facts.school_email}")
    rows: list[tuple[str, str]] = [("The school office", "\n".join(lines))]
    if facts.head_teacher:
        rows.append(("Head teacher", facts.head_teacher))
    if facts.dpo_name or facts.dpo_contact:
        rows.append(
            (
                "Data protection officer",
                "\n".join(p for p in (facts.dpo_name, facts.dpo_contact) if p),
            )
        )
    else:
        rows.append(("Data protection officer", NO_DPO))
    if facts.local_authority:
        rows.append(("Local authority", facts.local_authority))
    rows.append((facts.regulator.name, ", ".join(facts.regulator.address_lines)))
    return [Heading("Contacts"), Table(header=(), rows=tuple(rows), widths=(0.28, 0.72))]


def _review_blocks(facts: PolicyFacts) -> list[Block]:
    if facts.is_draft:
        approved = "This is a draft: no review has approved this wording yet." + (
            f" The policy last approved was reviewed in {facts.last_review:%B %Y}."
            if facts.last_review is not None
            else ""
        )
    elif facts.last_review is not None:
        approved = f"This policy was last reviewed and approved in {facts.last_review:%B %Y}"
        names = _join(
            [
                f"{facts.last_review_head} (head teacher)" if facts.last_review_head else "",
                f"{facts.last_review_chair} (chair of governors)"
                if facts.last_review_chair
                else "",
            ]
        )
        approved += f", signed by {names}." if names else "."
    else:
        approved = "No approved review of this policy is recorded."
    rows: list[tuple[str, str]] = [
        (
            "This wording",
            "Draft: not yet approved" if facts.is_draft else "Approved",
        ),
        (
            "Last approved review",
            f"{facts.last_review:%B %Y}" if facts.last_review else "None recorded",
        ),
        (
            "Next review due",
            format_uk_date(facts.next_review_due) if facts.next_review_due else "Now",
        ),
        ("This copy printed", format_uk_date(facts.printed_on)),
    ]
    # The review dates and the signature boxes belong on one page.
    section: tuple[Block, ...] = (
        Heading("Review of this policy"),
        Para(
            f"{approved} The governors review it every two years, or sooner if the law changes. "
            "It is printed from the school's register, so it lists the organisations we share "
            "information with on the day it was printed."
        ),
        Table(header=(), rows=tuple(rows), widths=(0.28, 0.72)),
        Heading("Signed on behalf of the governors"),
        SignatureLines(("Head teacher", "Chair of governors")),
    )
    return [Together(section)]


def render_policy(letterhead: Letterhead, facts: PolicyFacts) -> bytes:
    """The policy as PDF bytes on the school's letterhead."""
    return render_document(
        letterhead,
        DRAFT_TITLE if facts.is_draft else TITLE,
        policy_blocks(facts),
        subtitle=f"{facts.school_name} · {format_uk_date(facts.printed_on)}",
        running_title=f"{facts.school_name}: {DRAFT_TITLE if facts.is_draft else TITLE}",
        subject="How the school holds and shares pupils' information",
    )
