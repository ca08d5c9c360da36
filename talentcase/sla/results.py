"""What the engine computes for one clock of one case: `ClockResult` (with its pauses), and its JSON shape."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from talentcase.common.text import ENGLISH, Msg, Translator

# The actions that end a case early; a clock they stop delivered nothing, whatever its state says.
CLOSING_ACTIONS = frozenset({"reject", "withdraw"})


@dataclass(frozen=True)
class Pause:
    """A request_info .. provide_info interval while the clock ran; days are in the clock's kind of day."""

    started_on: date
    ended_on: date | None
    days: int
    party: str
    # False when the pause began after the due date had passed: asking for information cannot undo a breach.
    extends_due: bool = True


@dataclass(frozen=True)
class ClockResult:
    """One clock of one case, as of a given day, with everything needed to explain it."""

    name: str
    target_days: int
    day_kind: str
    at_risk_ratio: float
    start_action: str
    started_on: date
    due_on: date
    stopped_on: date | None
    stopped_by: str | None
    elapsed_days: int
    paused_days: int
    state: str
    is_running: bool
    is_paused: bool
    waiting: dict[str, int]
    pauses: tuple[Pause, ...]
    rolled_days: tuple[tuple[date, str], ...]
    # The last day counted: the stop date, or today while the clock runs (so a stopped result never changes).
    counted_to: date
    cycle: int = 1
    # Days (in the clock's kind) by which the due date moved because of pauses; <= paused_days.
    due_extension_days: int = 0
    # The last day of a pause that moved the due date, when the due date is that day (the pause lasted past the
    # days it added): a clock cannot fall due while a pause that counts lasts.
    due_held_to: date | None = None

    @property
    def is_ended_early(self) -> bool:
        """Stopped by a rejection or a withdrawal: `met` by the design's rule, but no target was reached."""
        return self.stopped_by in CLOSING_ACTIONS

    def as_dict(self) -> dict[str, object]:
        """JSON-ready summary (dates as YYYY-MM-DD) in the shape the API and the screens use."""
        return {
            "target_days": self.target_days,
            "day_kind": self.day_kind,
            "started_on": self.started_on.isoformat(),
            "due_on": self.due_on.isoformat(),
            "stopped_on": self.stopped_on.isoformat() if self.stopped_on else None,
            "stopped_by": self.stopped_by,
            "elapsed_days": self.elapsed_days,
            "paused_days": self.paused_days,
            "state": self.state,
            "is_running": self.is_running,
            "is_paused": self.is_paused,
            "cycle": self.cycle,
            "waiting": dict(self.waiting),
            "pauses": [
                {
                    "from": p.started_on.isoformat(),
                    "to": p.ended_on.isoformat() if p.ended_on else None,
                    "days": p.days,
                    "party": p.party,
                    "extends_due": p.extends_due,
                }
                for p in self.pauses
            ],
            "rolled_days": [{"date": d.isoformat(), "reason": reason} for d, reason in self.rolled_days],
        }

    def explanation(self) -> list[Msg]:
        """The sentences that explain the due date and the state, untranslated (see `talentcase.sla.explain`)."""
        from talentcase.sla import explain

        return explain.explanation(self)

    def gauge_lines(self, translator: Translator = ENGLISH) -> list[str]:
        """The days used of the target and what added days to it, as short phrases (see `talentcase.sla.explain`)."""
        from talentcase.sla import explain

        return explain.gauge_lines(self, translator)

    def explanation_lines(self, translator: Translator = ENGLISH) -> list[str]:
        """The explanation as sentences for an officer to read to a company (plain English by default)."""
        from talentcase.sla import explain

        return explain.explanation_lines(self, translator)
