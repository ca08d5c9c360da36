"""What the documents page shows around the checklist: its groups (the company, the expert, each dependant, other
documents), the errors by the element they belong to, and the words for a dependant's relationship."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from talentcase.cases.models import Case
from talentcase.documents import services
from talentcase.documents.models import Dependant
from talentcase.documents.services import ChecklistRow


@dataclass
class Group:
    """A heading of the task list and its items."""

    id: str
    title: str
    rows: list[ChecklistRow] = field(default_factory=list)
    dependant: Dependant | None = None


@dataclass
class PageErrors:
    """What went wrong, by the id of the element to link to from the error summary (None: no field)."""

    items: list[tuple[str | None, str]] = field(default_factory=list)
    open_slug: str | None = None  # the checklist item whose upload form must be shown open

    def add(self, element_id: str | None, message: object) -> None:
        self.items.append((element_id, str(message)))

    def by_id(self) -> dict[str, str]:
        return {element_id: message for element_id, message in self.items if element_id}

    def __bool__(self) -> bool:
        return bool(self.items)


def groups(case: Case, rows: list[ChecklistRow]) -> list[Group]:
    company = Group("company", _("From the company"))
    expert = Group("expert", _("From the expert"))
    other = Group("other", _("Other documents (optional)"))
    per_dependant = {
        dependant.id: Group(
            f"dependant-{dependant.id}",
            _("For %(name)s (%(relationship)s)", name=dependant.full_name, relationship=relationship_name(dependant)),
            dependant=dependant,
        )
        for dependant in case.dependants
    }
    for row in rows:
        item = row.item
        if item.kind in services.EXTRA_KINDS:
            other.rows.append(row)
        elif item.dependant_id is not None and item.dependant_id in per_dependant:
            per_dependant[item.dependant_id].rows.append(row)
        elif item.provider == "hr":
            company.rows.append(row)
        else:
            expert.rows.append(row)
    return [company, expert, *per_dependant.values(), other]


def relationship_name(dependant: Dependant) -> str:
    return _("spouse or partner") if dependant.relationship_kind == "spouse" else _("child")
