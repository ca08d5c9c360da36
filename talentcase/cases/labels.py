"""Words shown to people for the case life's codes (translatable)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from talentcase.cases.policy import policy_by_code
from talentcase.common.i18n import LocalDay, country_name, day_text, hkd_text

STATUS_NAMES = {
    "draft": _l("Draft"),
    "review": _l("Park review"),
    "quota_prep": _l("Preparing quota application"),
    "quota": _l("With ITC for quota"),
    "visa_prep": _l("Preparing visa application"),
    "visa": _l("With ImmD for visa"),
    "approved": _l("Visa issued"),
    "arrived": _l("Arrived"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}

ACTION_NAMES = {
    "submit": _l("Submit to the park"),
    "accept": _l("Accept"),
    "lodge_quota": _l("Record quota application lodged with ITC"),
    "grant_quota": _l("Record quota granted by ITC"),
    "lodge_visa": _l("Record visa application lodged with ImmD"),
    "issue_visa": _l("Record visa issued by ImmD"),
    "record_arrival": _l("Record the expert's arrival"),
    "request_info": _l("Request information"),
    "provide_info": _l("Record information provided"),
    "reject": _l("Reject"),
    "withdraw": _l("Withdraw the case"),
    "replace_quota": _l("Replace the expired quota place"),
}

EVENT_NAMES = {
    "submit": _l("Submitted to the park"),
    "accept": _l("Accepted by the park"),
    "lodge_quota": _l("Quota application lodged with ITC"),
    "grant_quota": _l("Quota granted by ITC"),
    "lodge_visa": _l("Visa application lodged with ImmD"),
    "issue_visa": _l("Visa issued by ImmD"),
    "record_arrival": _l("Expert arrived"),
    "request_info": _l("Information requested"),
    "provide_info": _l("Information provided"),
    "reject": _l("Rejected"),
    "withdraw": _l("Withdrawn"),
    "replace_quota": _l("Expired quota place replaced"),
}

CLOCK_NAMES = {
    "review": _l("Park review"),
    "quota": _l("ITC quota"),
    "visa": _l("ImmD visa"),
    "overall": _l("Four-week target"),
}

STATE_NAMES = {
    "on_track": _l("On track"),
    "at_risk": _l("At risk"),
    "breached": _l("Breached"),
    "paused": _l("Paused"),
    "met": _l("Met"),
}

QUOTA_PLACE_NAMES = {
    "reserved": _l("Reserved"),
    "used": _l("Used by the issued visa"),
}

# Said beside a breached clock that waits for information: a pause never hides a breach (DESIGN.md).
PAUSED_FOR = {
    "company": _l("paused for information from the company"),
    "expert": _l("paused for information from the expert"),
}

PARTY_NAMES = {
    "company": _l("the company"),
    "expert": _l("the expert"),
    "officer": _l("the park officer"),
    "authority": _l("the authority (ITC / ImmD)"),
}


def quota_name(reference: str, granted_on: date) -> LazyString:
    """A quota as people name it inside a sentence: by its letter's reference, else by the day it was granted."""
    if reference:
        return _l("the quota %(reference)s", reference=reference)
    return _l("the quota granted on %(day)s", day=LocalDay(granted_on))


def field_text(case: Any, attr: str) -> str:
    """A particular of the case as a person reads it, in the current locale (the case page, the pack)."""
    from talentcase.cases.policy import DEGREE_LEVELS, TECH_AREAS
    from talentcase.cases.schema import DECLARATIONS

    value = getattr(case, attr)
    if value is None and attr in DECLARATIONS:
        return _("Not answered yet")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None or value == "":
        return "—"
    if attr == "degree_level":
        return str(DEGREE_LEVELS.get(value, value))
    if attr == "tech_area":
        return str(TECH_AREAS.get(value, value))
    if attr == "nationality":
        return country_name(value)
    if attr == "monthly_salary_hkd":
        return hkd_text(value)
    if isinstance(value, date):
        return day_text(value)
    return str(value)


def policy_text(code: str) -> str:
    """The policy version a case is judged by, for people: the day it came in and its title."""
    version = policy_by_code(code)
    return f"{day_text(version.effective_from)} ({version.title})"
