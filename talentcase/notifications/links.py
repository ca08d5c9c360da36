"""Links in mail: every mail names its case and links straight to its page (absolute, from common.http.external_url,
the one helper that knows the site's public address)."""

from __future__ import annotations

from flask_babel import gettext as _

from talentcase.cases.models import Case
from talentcase.common.http import external_url

PAGES = {"case": "cases.show", "documents": "documents.index", "messages": "messages.index"}


def case_link(case: Case, page: str = "case", *, anchor: str = "") -> str:
    """The absolute address of one of the case's pages (its page, or its documents with an item's anchor)."""
    url = external_url(PAGES[page], case_id=case.id)
    return f"{url}#{anchor}" if anchor else url


def notice_link(case: Case | None, link: str | None = None) -> str:
    """The lines that end a notice's mail: the case named, and the link to open it (in the current locale)."""
    if case is None:
        return link or ""
    return _("Case %(ref)s: %(url)s", ref=case.reference, url=link or case_link(case))
