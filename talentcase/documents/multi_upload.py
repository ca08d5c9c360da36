"""Several files in one go, each assigned to its checklist item (chosen per file, or guessed from the file name):
each file is judged alone, so one bad file is refused at its own item while the others are kept."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from flask_babel import gettext as _

from talentcase.cases.models import Case
from talentcase.documents import services
from talentcase.documents.display import slug
from talentcase.documents.models import Document
from talentcase.documents.services import ChecklistRow, DocumentError

# Words in a file name that say which item it is (English; the browser uses the same table through a data-
# attribute). Only items the case has and that have no dependant are guessed: a dependant's file needs a choice.
NAME_HINTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "passport": ("passport", "travel document"),
        "photo": ("photo", "headshot", "portrait"),
        "cv": ("cv", "resume", "résumé", "curriculum"),
        "degree_certificate": ("degree", "diploma", "transcript", "graduation"),
        "proof_of_experience": ("experience", "employment letter", "reference letter"),
        "criminal_conviction_declaration": ("conviction", "criminal"),
        "mainland_consent_letter": ("consent",),
        "employment_contract": ("contract", "offer letter"),
        "br_certificate": ("business registration", "br cert", "br_cert", "brc"),
        "quota_approval_letter": ("quota",),
        "job_particulars": ("particulars", "job description"),
    }
)


def guess_item(filename: str, slugs: Iterable[str]) -> str | None:
    """The slug of the item a file name points to, when exactly one item's words appear in it."""
    name = " " + re.sub(r"[\s_.\-]+", " ", filename.casefold()) + " "
    available = set(slugs)
    found = {
        slug(kind, None)
        for kind, words in NAME_HINTS.items()
        if any(f" {word} " in name or (len(word) > 4 and word in name) for word in words)
    }
    found &= available
    return found.pop() if len(found) == 1 else None


def guess_table(rows: Iterable[ChecklistRow]) -> dict[str, list[str]]:
    """The words of each guessable item of this checklist, by slug, for the browser."""
    slugs = {slug(row.item.kind, row.item.dependant_id) for row in rows}
    return {slug(kind, None): list(words) for kind, words in NAME_HINTS.items() if slug(kind, None) in slugs}


@dataclass
class Outcome:
    """What became of the files: the documents kept, and each refusal with the slug of its item (None: unassigned)."""

    stored: list[Document] = field(default_factory=list)
    refused: list[tuple[str | None, str]] = field(default_factory=list)


def upload_many(case: Case, files: list[tuple[str, bytes, str]], *, uploader=None) -> Outcome:
    """Store each (chosen slug or "", data, file name) at its item; a refusal stops only its own file."""
    rows = {slug(row.item.kind, row.item.dependant_id): row for row in services.checklist(case)}
    outcome = Outcome()
    for chosen, data, filename in files:
        target = chosen or guess_item(filename, rows)
        row = rows.get(target or "")
        if row is None:
            outcome.refused.append(
                (None, _("Choose which document %(name)s is, then choose the file again.", name=filename))
            )
            continue
        try:
            document = services.upload(
                case, row.item.kind, data, filename, dependant_id=row.item.dependant_id, uploader=uploader
            )
        except DocumentError as error:
            label = str(row.item.label)
            outcome.refused.append((target, _("%(item)s: %(message)s", item=label, message=error.message)))
            continue
        outcome.stored.append(document)
        rows = {slug(r.item.kind, r.item.dependant_id): r for r in services.checklist(case)}  # the new version counts
    return outcome
