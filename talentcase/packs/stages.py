"""The two bundles the company files: the quota application to ITC and the visa application to ImmD.

What each authority receives (which checklist items, the particulars in the order of its form) is decided here, as
plain data, so that the builder, the completeness gate and the tests read one definition.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from talentcase.cases.policy import Text

STAGES = ("quota", "visa")

# The case's states in which the visa step is the next (or current) filing; in every other state it is the quota.
VISA_STATES = frozenset({"visa_prep", "visa", "approved", "arrived"})


@dataclass(frozen=True)
class Stage:
    """One bundle: its addressee, its subject, and the checklist items it encloses, in tab order."""

    code: str
    name: Text
    authority: Text
    addressee: tuple[Text, ...]
    kinds: tuple[str, ...]


# The quota is the company's application for places for a post: the company's papers and the post's evidence
# (qualifications and pay); the candidate's identity papers go to ImmD with the visa application.
QUOTA = Stage(
    "quota",
    _l("Quota application"),
    _l("Innovation and Technology Commission"),
    (_l("Technology Talent Admission Scheme"), _l("Innovation and Technology Commission")),
    ("br_certificate", "job_particulars", "employment_contract", "degree_certificate", "proof_of_experience", "cv"),
)
VISA = Stage(
    "visa",
    _l("Employment visa application"),
    _l("Immigration Department"),
    (_l("Technology Talent Admission Scheme"), _l("Immigration Department")),
    (
        "quota_approval_letter",
        "employment_contract",
        "job_particulars",
        "br_certificate",
        "passport",
        "photo",
        "degree_certificate",
        "proof_of_experience",
        "cv",
        "criminal_conviction_declaration",
        "mainland_consent_letter",
        "other",
        "dependant_travel_document",
        "dependant_photo",
        "dependant_relationship_proof",
    ),
)
BY_CODE = {stage.code: stage for stage in (QUOTA, VISA)}


def default_stage(status: str) -> str:
    """The bundle a case needs next: the visa once the quota step is behind it, else the quota."""
    return "visa" if status in VISA_STATES else "quota"


def in_stage(stage: Stage, kind: str) -> bool:
    return kind in stage.kinds


def tab_order(stage: Stage, kind: str) -> int:
    """Where a kind of document sits among the principal's tabs (the checklist's order otherwise)."""
    return stage.kinds.index(kind) if kind in stage.kinds else len(stage.kinds)


# The particulars in the order of each authority's form, as (section title, field attributes). The ITC quota form
# asks about the company, then the post and its duties, the qualifications wanted, the pay and the places; ImmD's
# application for entry for employment (ID 990A, with the sponsor's part ID 990B) asks for the applicant's personal
# particulars, travel document, education and the employment offered.
QUOTA_SECTIONS: tuple[tuple[Text, tuple[str, ...]], ...] = (
    (_l("Post and duties"), ("position_title", "tech_area", "duties", "is_full_time", "is_principally_rd")),
    (_l("Qualifications"), ("degree_level", "degree_field", "university", "is_stem_degree", "is_top100_university")),
    (_l("Experience"), ("years_experience",)),
    (_l("Pay"), ("monthly_salary_hkd",)),
    (_l("Intended start"), ("intended_start_on",)),
)
VISA_SECTIONS: tuple[tuple[Text, tuple[str, ...]], ...] = (
    (_l("Personal particulars"), ("full_name", "chinese_name", "date_of_birth", "nationality", "email")),
    (_l("Travel document"), ("passport_number", "passport_expiry_on", "is_mainland_resident")),
    (_l("Education"), ("degree_level", "degree_field", "university")),
    (_l("Employment in Hong Kong"), ("position_title", "duties", "monthly_salary_hkd", "intended_start_on")),
    (_l("Relevant experience"), ("years_experience",)),
)
SECTIONS = {"quota": QUOTA_SECTIONS, "visa": VISA_SECTIONS}
