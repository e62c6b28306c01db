"""A new database starts from the school's February 2017 Data Sharing Policy.

The organisations, their purposes and whether they identify pupils are the policy's own facts
(its wording is kept where it states a purpose). Where the policy is out of date — bodies since
abolished, a misnamed agency, a repealed Act — the record says so in its notes rather than
silently correcting the policy: the Policy review tab is where the school decides.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crofton_desk.store.models import (
    DataCategory,
    LegislationChange,
    Organisation,
    PolicyReview,
    SchoolProfile,
)


def name_key(name: str) -> str:
    """Case- and space-insensitive key: 'Ofsted ' and 'OFSTED' are the same organisation."""
    return " ".join(name.split()).casefold()


CATEGORIES: tuple[tuple[str, bool, str], ...] = (
    ("Contact details", False, "Names, addresses, phone numbers and emails of pupils and parents"),
    (
        "National Curriculum assessment results",
        False,
        "Key stage test and teacher assessment results",
    ),
    ("Attendance", False, "Sessions attended, absences and their reasons"),
    (
        "Personal characteristics",
        True,
        "For example ethnic group, language, eligibility for free school meals "
        "(ethnicity is special category data)",
    ),
    ("Special educational needs", True, "SEN support and EHC plans (special category: health)"),
    ("Medical information", True, "Health conditions, medication, allergies (special category)"),
)

ALL = tuple(name for name, _special, _desc in CATEGORIES)
SAFEGUARDING_ART9 = (
    "Art 9(2)(g) substantial public interest: DPA 2018 Sch 1 para 18 (safeguarding of children "
    "and individuals at risk)"
)
STATUTORY_ART9 = (
    "Art 9(2)(g) substantial public interest: DPA 2018 Sch 1 para 6 (statutory and government "
    "purposes)"
)


#: The register entry for 'another school to which a pupil transfers' (a new school copies it).
TRANSFER_SCHOOL = "Another school to which a pupil transfers"


def _organisations() -> list[dict[str, object]]:
    return [
        {
            "name": "Wakefield Metropolitan District Council",
            "kind": "local_authority",
            "purposes": (
                "Uses information about pupils to carry out specific functions for which it is "
                "responsible, for example the assessing of any special educational needs the "
                "pupil may have. It also uses the information to gather statistics to make "
                "essential decisions on, for example, funding schools, and to assess the "
                "performance of schools and set targets for them."
            ),
            "lawful_basis": "legal_obligation",
            "art9_condition": STATUTORY_ART9,
            "legal_duty": "Education Act 1996; Children and Families Act 2014 (special "
            "educational needs)",
            "statistics_only": True,
            "local_authority": "Wakefield Metropolitan District Council",
            "categories": ALL,
            "notes": "The local authority (LA code 384). The policy: it uses the statistics in "
            "such a way that individual pupils cannot be identified.",
        },
        {
            "name": "NHS healthcare bodies (school nursing team)",
            "kind": "nhs",
            "purposes": (
                "Health services for pupils, such as the school nursing team's health checks "
                "and immunisation programmes."
            ),
            "lawful_basis": "public_task",
            "art9_condition": "Art 9(2)(h) health or social care",
            "legal_duty": "",
            "statistics_only": False,
            "categories": ("Contact details", "Personal characteristics", "Medical information"),
            "notes": "The 2017 policy says 'Healthcare and Primary Care Trusts (the NHS)'. "
            "Primary Care Trusts were abolished in 2013 (Health and Social Care Act 2012); "
            "name the current NHS body (e.g. the school nursing provider) at the next review.",
        },
        {
            "name": TRANSFER_SCHOOL,
            "kind": "other",
            "purposes": (
                "The school a pupil moves to receives the pupil's common transfer file and school "
                "records so that it can continue the pupil's education without a break."
            ),
            "lawful_basis": "legal_obligation",
            "art9_condition": STATUTORY_ART9,
            "legal_duty": "The Education (Pupil Information) (England) Regulations 2005, reg 9 "
            "(the common transfer file and the pupil's school records)",
            "statistics_only": False,
            "categories": ALL,
            "notes": "The policy's 'another school to which the pupil is transferring': what "
            "every receiving school gets. A school added with 'Add a school…' takes its agreed "
            "data and purposes from this entry; each school is then its own recipient.",
        },
        {
            "name": "Department for Education",
            "kind": "government_department",
            "purposes": (
                "Uses information about pupils for research and statistical purposes, to "
                "inform, influence and improve education policy and to monitor the performance "
                "of the education service as a whole. Feeds back information to local "
                "authorities and schools (data checking, self-evaluation, information missing "
                "because a former school did not pass it on) and provides Ofsted with "
                "pupil-level data for school inspection."
            ),
            "lawful_basis": "legal_obligation",
            "art9_condition": STATUTORY_ART9,
            "legal_duty": "Education Act 1996 s.537A and the regulations made under it (the "
            "school census)",
            "statistics_only": True,
            "categories": ALL,
            "notes": "Published results do not identify any individual; onward sharing is "
            "approved and controlled by the Department's Chief Statistician.",
        },
        {
            "name": "Ofsted",
            "kind": "regulator",
            "purposes": (
                "Uses information about the progress and performance of pupils to help "
                "inspectors evaluate the work of schools, to assist schools in their "
                "self-evaluation and as part of Ofsted's assessment of the effectiveness of "
                "education initiatives and policy."
            ),
            "lawful_basis": "public_task",
            "art9_condition": STATUTORY_ART9,
            "legal_duty": "Education Act 2005 (school inspections)",
            "statistics_only": True,
            "categories": (
                "National Curriculum assessment results",
                "Attendance",
                "Personal characteristics",
                "Special educational needs",
            ),
            "notes": "Inspection reports do not identify individual pupils.",
        },
        {
            "name": "Standards and Testing Agency",
            "kind": "assessment",
            "purposes": (
                "An executive agency of the Department for Education that develops and "
                "delivers the statutory primary assessments (the key stage 2 tests, the "
                "multiplication tables check and the phonics screening check): the school "
                "enters pupils for them and the agency returns their results. It does not set "
                "the National Curriculum, which is the Department's."
            ),
            "lawful_basis": "legal_obligation",
            "art9_condition": STATUTORY_ART9,
            "legal_duty": "Education Act 2002 and the key stage 2 assessment arrangements made "
            "under it",
            "statistics_only": False,
            "categories": (
                "Contact details",
                "National Curriculum assessment results",
                "Special educational needs",
            ),
            "notes": "The 2017 policy calls it the 'Standards and Testing Authority'; its name "
            "is the Standards and Testing Agency (an executive agency of the DfE).",
        },
        {
            "name": "Children and Family Services (children's social care)",
            "kind": "social_care",
            "purposes": (
                "Where enquiries are made about a child protection or safeguarding issue, the "
                "school has a legal duty to provide information."
            ),
            "lawful_basis": "legal_obligation",
            "art9_condition": SAFEGUARDING_ART9,
            "legal_duty": "Children Act 1989 (s.47 enquiries) and Children Act 2004 (s.11)",
            "statistics_only": False,
            "local_authority": "Wakefield Metropolitan District Council",
            "categories": ALL,
            "notes": "",
        },
        {
            "name": "Learning and Skills Council",
            "kind": "government_department",
            "purposes": (
                "Used information about pupils for statistical purposes, to evaluate and develop "
                "education policy and to monitor the performance of the education service as a "
                "whole; on occasion shared it with other government departments or agencies "
                "strictly for statistical or research purposes."
            ),
            "lawful_basis": "legal_obligation",
            "statistics_only": True,
            "active": False,
            "deactivated_on": date(2010, 3, 31),
            "deactivation_reason": "Abolished 2010 (Apprenticeships, Skills, Children and "
            "Learning Act 2009).",
            "categories": ("National Curriculum assessment results",),
            "notes": "Abolished 2010: its functions passed to the Skills Funding Agency and the "
            "Young People's Learning Agency. Still named in the 2017 policy; remove it at the "
            "next review.",
        },
        {
            "name": "Office for National Statistics",
            "kind": "government_department",
            "purposes": (
                "Receives pupil data from the Department for Education, with other government "
                "departments and agencies, for statistical or research purposes only."
            ),
            "lawful_basis": "public_task",
            "statistics_only": True,
            "onward": True,
            "categories": ("Personal characteristics", "National Curriculum assessment results"),
            "notes": "Onward recipient via the DfE; data will not be processed so as to identify "
            "any individual in published results.",
        },
        {
            "name": "Further education institutions",
            "kind": "other",
            "purposes": (
                "Where relevant, receive pupil information from the Department for Education to "
                "minimise the administrative burden on application for a course and to aid the "
                "preparation of learning plans."
            ),
            "lawful_basis": "public_task",
            "statistics_only": False,
            "onward": True,
            "categories": ("Contact details", "National Curriculum assessment results"),
            "notes": "Onward recipient via the DfE.",
        },
        {
            "name": "Approved independent researchers",
            "kind": "research",
            "purposes": (
                "Research into the educational achievements of pupils, by researchers with a "
                "legitimate need for individual pupil information; each case determined on its "
                "merits and approved by the Department for Education's Chief Statistician."
            ),
            "lawful_basis": "public_task",
            "statistics_only": False,
            "onward": True,
            "categories": ("Personal characteristics", "National Curriculum assessment results"),
            "notes": "Onward recipient via the DfE.",
        },
    ]


LEGISLATION: tuple[tuple[str, date, str, str], ...] = (
    (
        "UK GDPR and the Data Protection Act 2018 replace the Data Protection Act 1998",
        date(2018, 5, 25),
        "The Data Protection Act 1998, which the 2017 policy cites, was repealed. Pupils' and "
        "parents' rights, the one-month time limit for subject access and the duty to give "
        "privacy information now come from the GDPR (UK GDPR since 1 January 2021) and the "
        "Data Protection Act 2018.",
        "Data Protection Act 2018; UK GDPR",
    ),
    (
        "Data (Use and Access) Act 2025: subject access time limits (Art 12A)",
        date(2026, 2, 5),
        "The time to answer a subject access request runs from the latest of receipt, receipt "
        "of identity information asked for and payment of any fee; the clock stops while the "
        "school waits for a clarification it reasonably asked for.",
        "Data (Use and Access) Act 2025; UK GDPR Art 12A",
    ),
    (
        "Data (Use and Access) Act 2025: data protection complaints",
        date(2026, 6, 19),
        "Schools must have a way to make data protection complaints, acknowledge a complaint "
        "within 30 days and respond without undue delay.",
        "Data (Use and Access) Act 2025 s.103",
    ),
)


def seed_database(factory: sessionmaker[Session]) -> None:
    """Fill a new, empty database (its session factory: the store's Database is not needed, so
    the seed does not import the module that imports it). Idempotent: does nothing if the
    school profile exists."""
    with factory.begin() as session:
        if session.scalar(select(SchoolProfile.id)) is not None:
            return
        session.add(
            SchoolProfile(
                id=1,
                name="Crofton Junior School",
                town="Wakefield",
                county="West Yorkshire",
                head_teacher="P. Birdsall",
                chair_of_governors="J. Allen",
                local_authority="Wakefield Metropolitan District Council",
                la_code="384",
                school_type="maintained",
            )
        )
        categories = {}
        for order, (name, special, description) in enumerate(CATEGORIES):
            category = DataCategory(
                name=name, special_category=special, description=description, sort_order=order
            )
            categories[name] = category
            session.add(category)
        dfe: Organisation | None = None
        for spec in _organisations():
            values = dict(spec)
            wanted = values.pop("categories")
            assert isinstance(wanted, tuple)
            organisation = Organisation(**values)
            organisation.name_key = name_key(organisation.name)
            organisation.categories = [categories[name] for name in wanted]
            if organisation.onward:
                organisation.onward_via = dfe
            if organisation.name == "Department for Education":
                dfe = organisation
            session.add(organisation)
        feb_2017 = date(2017, 2, 1)
        session.add(
            PolicyReview(
                started_on=feb_2017,
                review_date=feb_2017,
                status="approved",
                changes="Policy reviewed (Data Sharing Policy, February 2017).",
                head_name="P. Birdsall",
                head_signed_on=feb_2017,
                chair_name="J. Allen",
                chair_signed_on=feb_2017,
                approved_on=feb_2017,
                notes="Taken from the policy document: 'Date of last review: February 2017'. "
                "The document gives the month only; the 1st is recorded.",
            )
        )
        for title, effective, summary, source in LEGISLATION:
            session.add(
                LegislationChange(
                    title=title, effective_on=effective, summary=summary, source=source
                )
            )
