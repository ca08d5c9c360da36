"""The document checklist for a TechTAS case, and date rules on dependants and passports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal

from flask_babel import lazy_gettext as _l

from talentcase.cases.policy import Text, add_months
from talentcase.common.i18n import LocalDay

Provider = Literal["hr", "expert"]
Relationship = Literal["spouse", "child"]

# Every document kind the system stores, in checklist order. 'visa_label' (the ImmD visa label) and 'other' are
# never asked for by the checklist but can be uploaded, e.g. by officers recording what ITC / ImmD sent.
DOCUMENT_KINDS: Mapping[str, Text] = MappingProxyType(
    {
        "br_certificate": _l("Business registration certificate"),
        "employment_contract": _l("Employment contract"),
        "quota_approval_letter": _l("Quota Approval Letter"),
        "job_particulars": _l("Job particulars"),
        "passport": _l("Passport or travel document"),
        "photo": _l("Photo"),
        "degree_certificate": _l("Degree certificates"),
        "proof_of_experience": _l("Proof of work experience"),
        "cv": _l("CV"),
        "criminal_conviction_declaration": _l("Criminal conviction declaration"),
        "mainland_consent_letter": _l("Consent letter (Mainland residents)"),
        "dependant_travel_document": _l("Dependant's travel document"),
        "dependant_photo": _l("Dependant's photo"),
        "dependant_relationship_proof": _l("Proof of relationship"),
        "visa_label": _l("Visa label"),
        "other": _l("Other document"),
    }
)

# Kinds that belong to one dependant (ChecklistItem.dependant_id is set for them).
DEPENDANT_KINDS: frozenset[str] = frozenset(
    {"dependant_travel_document", "dependant_photo", "dependant_relationship_proof"}
)

# Hong Kong dependant rules admit unmarried children under this age.
CHILD_AGE_LIMIT = 18
# Warn when the passport runs out less than this many months after the intended start.
PASSPORT_MIN_VALIDITY_MONTHS = 6


@dataclass(frozen=True)
class DependantFacts:
    """One dependant (spouse or child) who will apply with the expert."""

    id: int
    relationship: Relationship
    full_name: str
    date_of_birth: date | None = None


@dataclass(frozen=True)
class ChecklistFacts:
    """The facts about a case that decide which documents are needed."""

    degree_level: str
    is_mainland_resident: bool
    dependants: tuple[DependantFacts, ...] = ()
    # True when the company has no valid quota with a free place, so the letter comes only after the ITC step.
    quota_needed: bool = True
    # True once the visa application is lodged: the visa label ImmD issues can then be kept with the case.
    visa_lodged: bool = False


@dataclass(frozen=True)
class ChecklistItem:
    """One document the case needs (or may have), who provides it, and what it is in plain words.

    `hint` speaks to whoever provides the document (the expert reads "your passport" on the portal); `staff_hint`
    is the same for HR and park officers, who read it about the candidate ("the candidate's passport")."""

    kind: str
    label: Text
    required: bool
    provider: Provider
    dependant_id: int | None
    hint: Text
    staff_hint: Text


def _item(
    kind: str, provider: Provider, hint: Text, staff_hint: Text | None = None, *, required: bool = True
) -> ChecklistItem:
    return ChecklistItem(
        kind=kind,
        label=DOCUMENT_KINDS[kind],
        required=required,
        provider=provider,
        dependant_id=None,
        hint=hint,
        staff_hint=hint if staff_hint is None else staff_hint,
    )


def build_checklist(facts: ChecklistFacts) -> list[ChecklistItem]:
    """The documents a case needs, company documents first, then the expert's, then each dependant's."""
    items = _company_items(facts) + _expert_items(facts)
    for dependant in facts.dependants:
        items.extend(_dependant_items(dependant))
    if facts.visa_lodged:
        items.append(
            _item(
                "visa_label",
                "hr",
                _l("The visa label the Immigration Department (ImmD) issues, once it has issued the visa."),
                required=False,
            )
        )
    return items


def _company_items(facts: ChecklistFacts) -> list[ChecklistItem]:
    if facts.quota_needed:
        quota_hint: Text = _l(
            "The letter the Innovation and Technology Commission (ITC) sends when it grants the quota. Upload it "
            "once ITC has granted the quota; it fixes the job particulars and the number of places."
        )
    else:
        quota_hint = _l(
            "The company's current Quota Approval Letter from the Innovation and Technology Commission (ITC), "
            "with a free place for this hire."
        )
    return [
        _item(
            "br_certificate",
            "hr",
            _l("The company's valid Business Registration Certificate from the Inland Revenue Department."),
        ),
        _item(
            "employment_contract",
            "hr",
            _l("The signed employment contract or offer, showing the post, monthly salary, benefits and term."),
        ),
        _item("quota_approval_letter", "hr", quota_hint),
        _item(
            "job_particulars",
            "hr",
            _l("A description of the post: duties, qualifications and experience needed, and pay."),
        ),
    ]


def _expert_items(facts: ChecklistFacts) -> list[ChecklistItem]:
    items = [
        _item(
            "passport",
            "expert",
            _l("The page of your passport or travel document with your photo and personal details."),
            _l("The page of the candidate's passport or travel document with the photo and personal details."),
        ),
        _item(
            "photo",
            "expert",
            _l("A recent colour photo of your face, like a passport photo."),
            _l("A recent colour photo of the candidate's face, like a passport photo."),
        ),
        _item(
            "degree_certificate",
            "expert",
            _l("Your degree certificates (and transcripts if you have them) for every degree you list."),
            _l("The candidate's degree certificates (and transcripts if any) for every degree listed."),
        ),
        _item(
            "proof_of_experience",
            "expert",
            _l("Letters from past employers showing your job titles and dates of work."),
            _l("Letters from the candidate's past employers showing job titles and dates of work."),
            # Only a bachelor's degree has a minimum-experience rule; for others it is supporting evidence.
            required=facts.degree_level == "bachelor",
        ),
        _item(
            "cv",
            "expert",
            _l("Your CV: your education and work history."),
            _l("The candidate's CV: education and work history."),
        ),
        _item(
            "criminal_conviction_declaration",
            "expert",
            _l("A signed statement saying whether you have ever been convicted of a crime."),
            _l("A statement signed by the candidate saying whether they have ever been convicted of a crime."),
        ),
    ]
    if facts.is_mainland_resident:
        items.append(
            _item(
                "mainland_consent_letter",
                "expert",
                _l(
                    "A consent letter from your current employer or institution in the Mainland, which Mainland "
                    "residents need for this application."
                ),
                _l(
                    "A consent letter from the candidate's current employer or institution in the Mainland, which "
                    "Mainland residents need for this application."
                ),
            )
        )
    return items


def _dependant_items(dependant: DependantFacts) -> list[ChecklistItem]:
    name = dependant.full_name
    if dependant.relationship == "spouse":
        proof_hint: Text = _l("Your marriage certificate showing %(name)s as your spouse.", name=name)
        proof_staff_hint: Text = _l("The candidate's marriage certificate showing %(name)s as the spouse.", name=name)
    elif dependant.relationship == "child":
        proof_hint = _l("The birth certificate of %(name)s showing you as a parent.", name=name)
        proof_staff_hint = _l("The birth certificate of %(name)s showing the candidate as a parent.", name=name)
    else:
        raise ValueError(f"unknown dependant relationship {dependant.relationship!r}: expected 'spouse' or 'child'")
    # The dependant's own documents read the same to everyone; only the proof of relationship names "you".
    specs: tuple[tuple[str, Text, Text, Text], ...] = (
        (
            "dependant_travel_document",
            _l("Travel document: %(name)s", name=dependant.full_name),
            _l("The photo page of the passport or travel document of %(name)s.", name=dependant.full_name),
            _l("The photo page of the passport or travel document of %(name)s.", name=dependant.full_name),
        ),
        (
            "dependant_photo",
            _l("Photo: %(name)s", name=dependant.full_name),
            _l("A recent colour photo of the face of %(name)s, like a passport photo.", name=dependant.full_name),
            _l("A recent colour photo of the face of %(name)s, like a passport photo.", name=dependant.full_name),
        ),
        (
            "dependant_relationship_proof",
            _l("Proof of relationship: %(name)s", name=dependant.full_name),
            proof_hint,
            proof_staff_hint,
        ),
    )
    return [
        ChecklistItem(
            kind=kind,
            label=label,
            required=True,
            provider="expert",
            dependant_id=dependant.id,
            hint=hint,
            staff_hint=staff_hint,
        )
        for kind, label, hint, staff_hint in specs
    ]


def _birthday_in(born: date, year: int) -> date:
    # Someone born on 29 February turns a year older on 1 March in common years (they have not yet had the
    # anniversary on 28 February).
    try:
        return born.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def child_dependant_problem(date_of_birth: date | None, on: date) -> Text | None:
    """Why a child cannot be a dependant on `on` (must be under 18), or None when the child qualifies."""
    if date_of_birth is None:
        return _l("The child's date of birth is needed to confirm the child is under %(age)d.", age=CHILD_AGE_LIMIT)
    if date_of_birth > on:
        return _l("The date of birth %(dob)s is in the future.", dob=LocalDay(date_of_birth))
    turns_limit_on = _birthday_in(date_of_birth, date_of_birth.year + CHILD_AGE_LIMIT)
    # A child is 18 from the start of the 18th birthday, so on that day they no longer qualify.
    if on >= turns_limit_on:
        return _l(
            "The child turned %(age)d on %(birthday)s; only children under %(age)d on %(on)s can be dependants.",
            age=CHILD_AGE_LIMIT,
            birthday=LocalDay(turns_limit_on),
            on=LocalDay(on),
        )
    return None


def passport_expiry_warning(expires_on: date, intended_start_on: date) -> Text | None:
    """A warning when the passport expires before, or less than six months after, the intended start date."""
    if expires_on < intended_start_on:
        return _l(
            "The passport expires on %(expiry)s, before the intended start date %(start)s; a new passport is needed.",
            expiry=LocalDay(expires_on),
            start=LocalDay(intended_start_on),
        )
    # The passport should still be valid on the day six months after the start (same day, or month end).
    needed_until = add_months(intended_start_on, PASSPORT_MIN_VALIDITY_MONTHS)
    if expires_on < needed_until:
        return _l(
            "The passport expires on %(expiry)s, less than six months after the intended start date %(start)s; "
            "renewing it first avoids a visa limited to the passport's validity.",
            expiry=LocalDay(expires_on),
            start=LocalDay(intended_start_on),
        )
    return None
