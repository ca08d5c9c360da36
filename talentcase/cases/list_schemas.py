"""The query string of GET /api/v1/cases, declared once for the list and for /api/v1/openapi.json: its filters and
its page."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, pre_load
from marshmallow.validate import Length, OneOf, Range, Regexp

from talentcase.cases import workflow
from talentcase.cases.todo import WAITING

SLA_FILTER_STATES = ("on_track", "at_risk", "breached", "paused")
PER_PAGE_DEFAULT = 25
PER_PAGE_MAX = 100
LAST_PAGE = 1_000_000


class CaseListQuerySchema(Schema):
    """The filters and the page of GET /cases, from the query string."""

    class Meta:
        unknown = "exclude"

    status = fields.String(
        validate=OneOf(workflow.STATES, error="Use one of: {choices}."),
        metadata={"description": "Only cases in this status"},
    )
    sla = fields.String(
        validate=OneOf(SLA_FILTER_STATES, error="Use one of: {choices}."),
        metadata={"description": "Only cases with a running clock in this state today"},
    )
    company = fields.Integer(
        error_messages={"invalid": "Must be a company id (a whole number)."},
        metadata={"description": "Only this company's cases"},
    )
    waiting = fields.String(
        validate=OneOf(WAITING, error="Use one of: {choices}."),
        metadata={
            "description": "`us`: the cases waiting on the company's HR (what HR's \"Needs your action\" lists: "
            "information asked of the company, a rejected document not yet replaced, a quota or visa to lodge, the "
            "expert's link not opened 3 days after it was sent, a draft); `others`: the submitted open cases waiting "
            "on the park, the authority or the expert"
        },
    )
    owner = fields.String(
        validate=Regexp(r"^(me|[1-9][0-9]{0,11})$", error="Use me or an officer's id."),
        metadata={"description": "Only the cases this officer holds today (`me`: the caller), cover included"},
    )
    q = fields.String(
        validate=Length(max=200, error="Use at most {max} characters."),
        metadata={
            "description": "Words, each the start of the reference, the passport number or a word of the name or "
            "Chinese name; case, accents and traditional or simplified characters do not matter"
        },
    )
    page = fields.Integer(
        load_default=1,
        validate=Range(min=1, max=LAST_PAGE, error="Must be between {min} and {max}."),
        error_messages={"invalid": "Must be a whole number."},
        metadata={"description": "Page number"},
    )
    per_page = fields.Integer(
        load_default=PER_PAGE_DEFAULT,
        validate=Range(min=1, max=PER_PAGE_MAX, error="Must be between {min} and {max}."),
        error_messages={"invalid": "Must be a whole number."},
        metadata={"description": "Cases per page"},
    )

    @pre_load
    def without_blanks(self, args: Any, **kwargs: Any) -> dict[str, str]:
        """An empty parameter is no filter; the search words are trimmed."""
        args = {name: (value.strip() if name == "q" else value) for name, value in dict(args).items()}
        return {name: value for name, value in args.items() if value != ""}
