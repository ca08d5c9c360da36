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
case_message_posted = _signals.signal(
    "case-message-posted",
    doc="A message was posted in a case's conversation (flushed). Sender: the case; keyword: message_id.",
)
document_reviewed = _signals.signal(
    "document-reviewed",
    doc="An officer accepted or rejected a document (flushed). Sender: the document; keyword: decision.",
)
account_link_issued = _signals.signal(
    "account-link-issued",
    doc="A link to set a password was made (reset or invitation). Sender: the user; keywords: purpose, url, "
    "valid_for (a timedelta). Notifications mail it, so that accounts imports nothing of them.",
)
