"""What withdrawing or rejecting a case will do, said on the page that asks first: both are final."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from talentcase.cases import workflow
from talentcase.cases.audience import who_hears
from talentcase.cases.models import Case
from talentcase.cases.services import parallel_allowed
from talentcase.common import clock
from talentcase.common.i18n import translate
from talentcase.sla import services as sla

CLOSING_ACTIONS: tuple[str, ...] = ("withdraw", "reject")


@dataclass(frozen=True)
class Consequences:
    """What closing the case now changes: the place released, the clocks stopped, who is told."""

    place_valid_until: date | None  # the quota of the reserved place that goes back, or None when none does
    stopping_clocks: tuple[str, ...]  # the clocks that run now, by name
    told: frozenset[str]  # "company", "park", "expert" (audience.who_hears; the expert once invited)


def consequences(case: Case, action: str, role: str) -> Consequences:
    """What taking the closing action as role would do to the case today."""
    running = sla.compute_for_case(case, today=clock.today())
    return Consequences(
        place_valid_until=case.quota.valid_until if case.quota is not None and case.quota_place == "reserved" else None,
        stopping_clocks=tuple(name for name, result in running.items() if result.stopped_on is None),
        told=who_hears(case, action, actor_role=role),
    )


def refusal(case: Case, action: str, role: str) -> str | None:
    """Why role cannot take the closing action on the case now (in the reader's language), or None when it can."""
    state = workflow.CaseState(status=case.status, paused_party=case.paused_party, visa_lodged=case.visa_lodged)
    try:
        workflow.apply(state, action, role=role, parallel_allowed=parallel_allowed(case))
    except workflow.TransitionError as error:
        return translate(error.text)
    return None
