"""What one domain tells the others, as blinker signals (indico's pattern): the sender knows none of its receivers.

Cases and the SLA sweep send; notifications connect their receivers at app start (create_app), so that cases and
sla import nothing of notifications. A receiver runs in the sender's transaction: what it adds is flushed and
committed with the rest, or rolled back with it.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

case_event_recorded = _signals.signal(
    "case-event-recorded",
    doc="An event was recorded on a case (flushed, clocks refreshed). Sender: the case; keyword: event.",
)
sla_alerts_raised = _signals.signal(
    "sla-alerts-raised",
    doc="Clock alerts claimed for announcing, one batch per send (so receivers can look people up once per batch). "
    "Keyword: alerts, a list of (alert, case, at_risk_code).",
)
account_link_issued = _signals.signal(
    "account-link-issued",
    doc="A link to set a password was made (reset or invitation). Sender: the user; keywords: purpose, url, "
    "valid_for (a timedelta). Notifications mail it, so that accounts imports nothing of them.",
)
