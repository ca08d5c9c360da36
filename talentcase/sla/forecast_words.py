"""The expected dates in words: what a forecast row rests on, in the reader's language."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from talentcase.cases import policy
from talentcase.common.text import Msg
from talentcase.sla.models import CaseForecast

SINCE: dict[str, Msg] = {
    "submitted": _l("since the case was submitted"),
    "accepted": _l("since the park accepted the case"),
    "quota_lodged": _l("since the quota application was lodged"),
    "quota_granted": _l("since the quota was granted"),
    "visa_lodged": _l("since the visa application was lodged"),
    "visa_issued": _l("since the visa was issued"),
}


def _conditions(conditions: dict[str, Any]) -> list[str]:
    words = []
    if "park" in conditions:
        words.append(_("filed with %(park)s", park=policy.park_name(conditions["park"])))
    if "policy" in conditions:
        words.append(_("under the policy of %(code)s", code=conditions["policy"]))
    if "path" in conditions:
        words.append(_("applying for a quota") if conditions["path"] else _("with a quota place already held"))
    if conditions.get("asked"):
        words.append(_("asked for information, as this case was"))
    return words


def basis_text(row: CaseForecast) -> str:
    """One plain sentence on what the expected dates rest on."""
    basis = row.basis or {}
    if basis.get("is_pledge"):
        return _(
            "Too few past cases to go by yet, so these dates are the pledge targets: 3 working days for the park's "
            "review and 14 days each for the quota and the visa."
        )
    if not row.cases_used:
        return _("The steps are done.")
    sentence = ngettext(
        "Based on %(num)d past case, how long it took %(since)s",
        "Based on %(num)d past cases, how long they took %(since)s",
        row.cases_used,
        since=SINCE.get(basis.get("since") or "", ""),
    )
    words = _conditions(basis.get("conditions") or {})
    if words:
        sentence += " (" + ", ".join(words) + ")"
    elapsed = basis.get("elapsed_days") or 0
    if elapsed:
        sentence += ngettext(
            "; only those that took at least the %(num)d working day this step has taken so far",
            "; only those that took at least the %(num)d working days this step has taken so far",
            elapsed,
        )
    return sentence + "."
