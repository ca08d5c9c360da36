"""What a bundle holds, in the pack's language: its tabs (the checklist's documents for the stage, principal first,
then each dependant's), the particulars in the order of the authority's form, and the cover letter's words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from pypdf import PageObject

from talentcase.cases import labels
from talentcase.cases.fields import BY_ATTR
from talentcase.cases.models import Case
from talentcase.documents import services as documents
from talentcase.documents.checklist import DEPENDANT_KINDS, DOCUMENT_KINDS
from talentcase.documents.models import Document
from talentcase.packs import stages

# The company's own papers, shown as the company's; every other principal document is the candidate's.
COMPANY_KINDS = frozenset({"br_certificate", "quota_approval_letter", "job_particulars"})


@dataclass
class Tab:
    """One enclosure behind a numbered tab; `document` is None for an item a draft lists as not provided yet."""

    number: int
    kind: str
    title: str
    person: str
    dependant_id: int | None
    document: Document | None
    required: bool
    pages: int = 0
    # A company document on file whose expiry date has passed: a draft marks it, a final pack is refused.
    is_expired: bool = False
    image_url: str = ""
    pdf_pages: list[PageObject] | None = field(default=None, repr=False)

    @property
    def anchor(self) -> str:
        return f"tab-{self.number}"

    @property
    def is_missing(self) -> bool:
        return self.document is None

    @property
    def version(self) -> int:
        return self.document.version if self.document else 0


def relationship_word(kind: str) -> str:
    """The dependant's relationship in the pack's language."""
    return {"spouse": _("Spouse or partner"), "child": _("Child")}.get(kind, kind)


def _person(case: Case, kind: str, dependant_id: int | None) -> str:
    if dependant_id is not None:
        dependant = next((d for d in case.dependants if d.id == dependant_id), None)
        return dependant.full_name if dependant else ""
    return case.company.name if kind in COMPANY_KINDS else case.full_name


def tabs_for(case: Case, stage: stages.Stage, *, draft: bool) -> list[Tab]:
    """The stage's enclosures: the principal's in the authority's order, then each dependant's; a draft keeps
    required items not provided yet (unnumbered), a final pack carries accepted documents only."""
    rows = [row for row in documents.checklist(case) if stages.in_stage(stage, row.item.kind)]
    principal = sorted(
        (row for row in rows if row.item.kind not in DEPENDANT_KINDS),
        key=lambda r: stages.tab_order(stage, r.item.kind),
    )
    order = {d.id: index for index, d in enumerate(case.dependants)}
    dependants = sorted(
        (row for row in rows if row.item.kind in DEPENDANT_KINDS), key=lambda r: order.get(r.item.dependant_id, 0)
    )
    tabs: list[Tab] = []
    for row in principal + dependants:
        document = row.current
        if document is not None and not draft and document.status != "accepted":
            document = None
        if document is None and (not draft or not row.item.required):
            continue
        number = 0 if document is None else sum(1 for tab in tabs if not tab.is_missing) + 1
        title = str(DOCUMENT_KINDS[row.item.kind])
        person = _person(case, row.item.kind, row.item.dependant_id)
        tab = Tab(number, row.item.kind, title, person, row.item.dependant_id, document, row.item.required)
        tab.is_expired = document is not None and bool(getattr(row, "is_expired", False))
        tabs.append(tab)
    return tabs


def status_text(tab: Tab) -> str:
    if tab.document is None:
        return _("Not provided yet")
    if tab.is_expired:
        return _("Expired: needs a current copy")
    return {"uploaded": _("Waiting for review"), "accepted": _("Accepted"), "rejected": _("Needs replacing")}.get(
        tab.document.status, tab.document.status
    )


def particulars(case: Case, stage: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The form's sections with (label, value) rows, in the authority's order."""
    return [
        (str(title), [(str(BY_ATTR[attr].label), labels.field_text(case, attr)) for attr in attrs])
        for title, attrs in stages.SECTIONS[stage]
    ]


def company_rows(case: Case) -> list[tuple[str, str]]:
    """The employer's particulars, first on both authorities' forms."""
    company = case.company
    return [
        (_("Company"), company.name),
        (_("Business registration number"), company.br_number or "—"),
        (_("Business registration valid until"), labels.field_text(company, "br_expiry_on")),
    ]


def dependant_rows(case: Case, dependant: Any) -> list[tuple[str, str]]:
    """A dependant's own particulars, as the dependant's application asks for them."""
    return [
        (_("Full name"), dependant.full_name),
        (_("Relationship to the applicant"), relationship_word(dependant.relationship_kind)),
        (_("Date of birth"), labels.field_text(dependant, "date_of_birth")),
        (_("Sponsor (principal applicant)"), case.full_name),
    ]


def places_rows(case: Case) -> list[tuple[str, str]]:
    """The places asked for: one per hire, as a case is one hire."""
    return [(_("Places applied for with this application"), "1")]
