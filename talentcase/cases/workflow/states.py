"""Where a case stands: its states, actions, roles and parties, their labels, and the state machine's refusal."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from talentcase.common.roles import Role
from talentcase.common.text import N_, Msg

# --- states -------------------------------------------------------------------------------------------------------

DRAFT = "draft"
REVIEW = "review"
QUOTA_PREP = "quota_prep"
QUOTA = "quota"
VISA_PREP = "visa_prep"
VISA = "visa"
APPROVED = "approved"
ARRIVED = "arrived"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"

STATES: tuple[str, ...] = (DRAFT, REVIEW, QUOTA_PREP, QUOTA, VISA_PREP, VISA, APPROVED, ARRIVED, REJECTED, WITHDRAWN)
OPEN_STATES: tuple[str, ...] = (DRAFT, REVIEW, QUOTA_PREP, QUOTA, VISA_PREP, VISA)
# Open and already submitted: the states in which the park can ask for information or reject.
SUBMITTED_STATES: tuple[str, ...] = (REVIEW, QUOTA_PREP, QUOTA, VISA_PREP, VISA)
# approved is closed but not final: the arrival is still to be recorded.
FINAL_STATES: tuple[str, ...] = (ARRIVED, REJECTED, WITHDRAWN)

STATUS_LABELS: Mapping[str, str] = MappingProxyType(
    {
        DRAFT: N_("a draft"),
        REVIEW: N_("under review by the park"),
        QUOTA_PREP: N_("preparing the quota application"),
        QUOTA: N_("waiting for the ITC quota decision"),
        VISA_PREP: N_("preparing the visa application"),
        VISA: N_("waiting for the Immigration Department's visa decision"),
        APPROVED: N_("approved (visa issued)"),
        ARRIVED: N_("closed (the expert has arrived)"),
        REJECTED: N_("rejected"),
        WITHDRAWN: N_("withdrawn"),
    }
)

# "Who the delay is on" while the case sits in a stage and nobody has been asked for information.
STAGE_OWNER: Mapping[str, str] = MappingProxyType(
    {REVIEW: "officer", QUOTA_PREP: "company", QUOTA: "authority", VISA_PREP: "company", VISA: "authority"}
)
WAITING_PARTIES: tuple[str, ...] = ("officer", "company", "expert", "authority")

# --- actions, roles, parties --------------------------------------------------------------------------------------

ACTIONS: tuple[str, ...] = (
    "submit",
    "accept",
    "lodge_quota",
    "grant_quota",
    "lodge_visa",
    "issue_visa",
    "record_arrival",
    "request_info",
    "provide_info",
    "reject",
    "withdraw",
    "replace_quota",
)
ROLES: tuple[Role, ...] = tuple(Role)
PARTIES: tuple[str, ...] = ("company", "expert")

ACTION_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "submit": N_("submit the case"),
        "accept": N_("accept the case"),
        "lodge_quota": N_("record that the quota application was lodged"),
        "grant_quota": N_("record the quota approval"),
        "lodge_visa": N_("record that the visa application was lodged"),
        "issue_visa": N_("record the issued visa"),
        "record_arrival": N_("record the expert's arrival"),
        "request_info": N_("ask for information"),
        "provide_info": N_("record that the information was provided"),
        "reject": N_("reject the case"),
        "withdraw": N_("withdraw the case"),
        "replace_quota": N_("replace the expired quota place"),
    }
)
# The role as the subject of a refusal ("Park officers cannot ..."), and in the middle of a sentence.
ROLE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "hr": N_("Company HR staff"),
        "officer": N_("Park officers"),
        "admin": N_("Administrators"),
        "expert": N_("The expert"),
    }
)
ROLE_LABELS_MID: Mapping[str, str] = MappingProxyType(
    {
        "hr": N_("company HR staff"),
        "officer": N_("park officers"),
        "admin": N_("administrators"),
        "expert": N_("the expert"),
    }
)
ANY_ROLE, ANY_ROLE_MID = N_("This user"), N_("this user")
PARTY_LABELS: Mapping[str, str] = MappingProxyType({"company": N_("the company"), "expert": N_("the expert")})


@dataclass(frozen=True)
class CaseState:
    """Where a case stands: its status, whether it waits for information and from whom, and parallel visa lodging."""

    status: str = DRAFT
    paused_party: str | None = None
    visa_lodged: bool = False

    @property
    def is_paused(self) -> bool:
        """True while the case waits for information from a party."""
        return self.paused_party is not None


class TransitionError(Exception):
    """An action refused by the state machine; kind is 'state' (HTTP 409) or 'role' (HTTP 403).

    `text` is the reason to translate where it is shown (`text.render(translator)`); `message` is it in English."""

    def __init__(self, kind: str, text: Msg) -> None:
        self.kind = kind
        self.text = text
        self.message = text.render()
        super().__init__(self.message)
