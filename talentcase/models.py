"""Every model, imported in one place so that Alembic and create_all see the whole schema."""

from talentcase.accounts.mfa_models import Passkey, RecoveryCode, SsoIdentity, TotpFactor
from talentcase.accounts.models import ApiToken, Company, User
from talentcase.accounts.session_models import KeptForm, UserSession
from talentcase.audit.models import AuditEntry
from talentcase.cases.models import Case, CaseEvent, EligibilityOverride, Quota
from talentcase.cases.ownership_models import AreaOfficer, AssignmentRule, CaseTaker, CoverPeriod
from talentcase.documents.models import Dependant, Document, ExpertLink
from talentcase.jobs.models import JobRecord
from talentcase.messages.models import Message
from talentcase.notifications.models import Notification, OutboundMail, Reminder
from talentcase.packs.models import Pack
from talentcase.sla.models import CaseClock, ClosureDay, SlaAlert, SlaPolicy

__all__ = [
    "ApiToken",
    "AreaOfficer",
    "AssignmentRule",
    "AuditEntry",
    "Case",
    "CaseClock",
    "CaseEvent",
    "CaseTaker",
    "ClosureDay",
    "Company",
    "CoverPeriod",
    "Dependant",
    "Document",
    "EligibilityOverride",
    "ExpertLink",
    "KeptForm",
    "JobRecord",
    "Message",
    "Notification",
    "OutboundMail",
    "Pack",
    "Passkey",
    "Quota",
    "RecoveryCode",
    "Reminder",
    "SlaAlert",
    "SlaPolicy",
    "SsoIdentity",
    "TotpFactor",
    "User",
    "UserSession",
]
