"""Why a clock is due when it is: the sentences an officer reads to a company, untranslated until shown.

Pure like the engine: each sentence is a message id with its values (`talentcase.common.text.Msg`), rendered in the
reader's language where it is shown (the case page, the API, the pack).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from talentcase.common.text import ENGLISH, N_, DayReason, Msg, Translator
from talentcase.sla.engine import CALENDAR, WORKING
from talentcase.sla.results import ClockResult


def explanation(result: ClockResult) -> list[Msg]:
    """The sentences that explain the due date and the state, untranslated: render each with a Translator."""
    unit = _hk_working_days if result.day_kind == WORKING else _calendar_days
    lines = [
        Msg.gettext(
            "The %(clock)s started on %(day)s, when %(event)s.",
            clock=_phrase(CLOCK_TITLES, result.name),
            day=result.started_on,
            event=_phrase(START_PHRASES, result.start_action),
        ),
        Msg.gettext("Its target is %(days)s counted after the start day.", days=unit(result.target_days))
        if result.day_kind == WORKING
        else Msg.gettext("Its target is %(days)s from the start day.", days=unit(result.target_days)),
    ]
    lines += _pause_lines(result, unit)
    for d, reason in result.rolled_days:
        why = DayReason(d, reason)
        if result.day_kind == CALENDAR:
            lines.append(
                Msg.gettext(
                    "The period cannot end on %(day)s (%(reason)s), so it runs on to the next day.",
                    day=d,
                    reason=why,
                )
            )
        else:
            lines.append(
                Msg.gettext("%(day)s is not a working day (%(reason)s), so it is not counted.", day=d, reason=why)
            )
    if result.due_held_to is not None:
        lines.append(
            Msg.gettext(
                "A pause that began by the due date keeps the clock from falling due while it lasts, so it is due no "
                "earlier than %(day)s.",
                day=result.due_held_to,
            )
        )
    lines.append(Msg.gettext("It is due on %(day)s.", day=result.due_on))
    lines.append(_outcome(result))
    return lines


def _pause_lines(result: ClockResult, unit) -> list[Msg]:
    """Each pause, whether it moved the due date, and how far the pauses moved it."""
    lines: list[Msg] = []
    for p in result.pauses:
        party = _phrase(PARTY_PHRASES, p.party)
        if p.ended_on is None:
            lines.append(
                Msg.gettext(
                    "It has been paused since %(day)s (%(days)s so far), waiting for information from %(party)s.",
                    day=p.started_on,
                    days=unit(p.days),
                    party=party,
                )
            )
        else:
            lines.append(
                Msg.gettext(
                    "It was paused from %(start)s to %(end)s (%(days)s), waiting for information from %(party)s.",
                    start=p.started_on,
                    end=p.ended_on,
                    days=unit(p.days),
                    party=party,
                )
            )
        if not p.extends_due:
            lines.append(
                Msg.gettext("That pause began after the due date had passed, so it did not move the due date.")
            )
    if result.due_extension_days:
        days = unit(result.due_extension_days)
        if len(result.pauses) == 1:
            lines.append(Msg.gettext("The pause moves the due date out by %(days)s.", days=days))
        else:
            lines.append(Msg.gettext("The pauses move the due date out by %(days)s.", days=days))
    return lines


def explanation_lines(result: ClockResult, translator: Translator = ENGLISH) -> list[str]:
    """The explanation as sentences for an officer to read to a company (plain English by default)."""
    return [line.render(translator) for line in explanation(result)]


def _outcome(result: ClockResult) -> Msg:
    if result.stopped_on is not None:
        why = _phrase(STOP_PHRASES, result.stopped_by or "")
        if result.state == "met" and result.is_ended_early:
            # A rejected or withdrawn case ended the clock early; nothing was delivered, so nothing was "met".
            return Msg.gettext(
                "It stopped on %(day)s, when %(event)s, before its due date.", day=result.stopped_on, event=why
            )
        if result.state == "met":
            return Msg.gettext(
                "It stopped on %(day)s, when %(event)s: the target was met.", day=result.stopped_on, event=why
            )
        late = (result.stopped_on - result.due_on).days
        return Msg.ngettext(
            "It stopped on %(day)s, when %(event)s: %(num)d day after the due date.",
            "It stopped on %(day)s, when %(event)s: %(num)d days after the due date.",
            late,
            day=result.stopped_on,
            event=why,
        )
    unit = _working_days if result.day_kind == WORKING else _calendar_days
    # The verb agrees with the days that have run ("1 working day of 3 has run"): a plural form per count.
    params = {"day": result.counted_to, "days": unit(result.elapsed_days), "target": result.target_days}
    n = result.elapsed_days
    if result.state == "breached" and result.is_paused:
        return Msg.ngettext(
            "As of %(day)s, %(days)s of %(target)d has run; the due date has passed, so the target is breached, "
            "and the clock is paused.",
            "As of %(day)s, %(days)s of %(target)d have run; the due date has passed, so the target is breached, "
            "and the clock is paused.",
            n,
            **params,
        )
    if result.state == "paused":
        return Msg.ngettext(
            "As of %(day)s, %(days)s of %(target)d has run; the clock is paused.",
            "As of %(day)s, %(days)s of %(target)d have run; the clock is paused.",
            n,
            **params,
        )
    if result.state == "breached":
        return Msg.ngettext(
            "As of %(day)s, %(days)s of %(target)d has run; the due date has passed, so the target is breached.",
            "As of %(day)s, %(days)s of %(target)d have run; the due date has passed, so the target is breached.",
            n,
            **params,
        )
    if result.state == "at_risk":
        return Msg.ngettext(
            "As of %(day)s, %(days)s of %(target)d has run; the target is at risk.",
            "As of %(day)s, %(days)s of %(target)d have run; the target is at risk.",
            n,
            **params,
        )
    return Msg.ngettext(
        "As of %(day)s, %(days)s of %(target)d has run; it is on track.",
        "As of %(day)s, %(days)s of %(target)d have run; it is on track.",
        n,
        **params,
    )


def gauge(result: ClockResult) -> list[Msg]:
    """The clock's gauge in words: the days used of the target, then what added days to it, so that "17 of 14 days
    used" beside "Met" does not read as a contradiction."""
    target, used = result.target_days, result.elapsed_days
    if result.day_kind == WORKING:
        lines = [
            Msg.ngettext(
                "%(used)d of %(num)d working day used", "%(used)d of %(num)d working days used", target, used=used
            )
        ]
    else:
        lines = [
            Msg.ngettext(
                "%(used)d of %(num)d calendar day used", "%(used)d of %(num)d calendar days used", target, used=used
            )
        ]
    # Only a calendar period runs on past the days it cannot end on; a working-day clock never counts them.
    rolled = len(result.rolled_days) if result.day_kind == CALENDAR else 0
    if rolled:
        lines.append(
            Msg.ngettext(
                "%(num)d day added because the due date fell on a Sunday, a general holiday or a closure day",
                "%(num)d days added because the due date fell on a Sunday, a general holiday or a closure day",
                rolled,
            )
        )
    if result.paused_days:
        lines.append(Msg.ngettext("%(num)d day paused", "%(num)d days paused", result.paused_days))
    return lines


def gauge_lines(result: ClockResult, translator: Translator = ENGLISH) -> list[str]:
    """The gauge's phrases in the translator's language (plain English by default)."""
    return [line.render(translator) for line in gauge(result)]


def _calendar_days(n: int) -> Msg:
    return Msg.ngettext("%(num)d calendar day", "%(num)d calendar days", n)


def _hk_working_days(n: int) -> Msg:
    return Msg.ngettext("%(num)d Hong Kong working day", "%(num)d Hong Kong working days", n)


def _working_days(n: int) -> Msg:
    return Msg.ngettext("%(num)d working day", "%(num)d working days", n)


def _phrase(phrases: Mapping[str, str], key: str) -> Msg:
    # An unknown key (an inconsistent log) is shown as it is: the catalogue has no entry, so it stays untranslated.
    return Msg.gettext(phrases.get(key, key or STOPPED))


STOPPED = N_("it stopped")
CLOCK_TITLES: Mapping[str, str] = MappingProxyType(
    {
        "review": N_("park review clock"),
        "quota": N_("ITC quota clock"),
        "visa": N_("ImmD visa clock"),
        "overall": N_("overall four-week clock"),
    }
)
START_PHRASES: Mapping[str, str] = MappingProxyType(
    {
        "submit": N_("the company submitted the case to the park"),
        "lodge_quota": N_("the quota application was lodged with the ITC"),
        "lodge_visa": N_("the visa application was lodged with the Immigration Department"),
    }
)
STOP_PHRASES: Mapping[str, str] = MappingProxyType(
    {
        "accept": N_("the park accepted the case"),
        "grant_quota": N_("the ITC granted the quota"),
        "issue_visa": N_("the Immigration Department issued the visa"),
        "reject": N_("the case was rejected"),
        "withdraw": N_("the case was withdrawn"),
    }
)
PARTY_PHRASES: Mapping[str, str] = MappingProxyType({"company": N_("the company"), "expert": N_("the expert")})
