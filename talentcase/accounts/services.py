"""Account rules: passwords, sign-in with lockout, companies, users and API tokens. Services flush, never commit."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import func, select

from talentcase.accounts.models import PARKS, ApiToken, Company, User
from talentcase.accounts.sessions import end_other_sessions
from talentcase.common import characters, clock
from talentcase.common.dates import implausible_date_message, is_plausible_date
from talentcase.common.roles import STAFF_ROLES, Role
from talentcase.extensions import db

PASSWORD_MIN_LENGTH = 10
MAX_FAILED_LOGINS = 5
# After MAX_FAILED_LOGINS failures in a row each further try waits longer (5 s, 10 s, 20 s, …), never more than
# LONGEST_WAIT: guessing is slowed for good, but a stranger who knows an address cannot keep its owner out for long
# (a fixed 15-minute lock could be kept up with 5 guesses a quarter: probe F15).
FIRST_WAIT = timedelta(seconds=5)
LONGEST_WAIT = timedelta(minutes=1)
TOKEN_PREFIX = "tc_"

_hasher = PasswordHasher()
# Verified against when the email is unknown, so that the answer takes as long as for an account.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class AccountError(ValueError):
    """A refused account operation, with a message fit to show the person."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        # The attribute the refusal is about (email, role, company, password, name, park, br_expiry_on), so that a
        # form can show the message beside that field; None when it is about the whole operation.
        self.field = field


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def password_problem(password: str, email: str = "") -> str | None:
    """Why a password is not acceptable, or None."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return _("Use at least %(n)d characters.", n=PASSWORD_MIN_LENGTH)
    if email and password.lower() == email.lower():
        return _("Do not use your email address as your password.")
    if len(set(password)) < 4:
        return _("Use a password that is harder to guess.")
    return None


def set_password(user: User, password: str) -> None:
    """Set a new password, enforcing the password rules, and end the user's other sessions and API tokens."""
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(problem, "password")
    user.password_hash = hash_password(password)
    end_sessions(user)
    # A token minted in a stolen session would otherwise outlive the new password (probe F3).
    now = clock.now()
    for token in user.tokens:
        if token.revoked_at is None:
            token.revoked_at = now
    user.failed_login_count = 0
    user.locked_until = None


def end_sessions(user: User) -> None:
    """Sign the user out everywhere: every session cookie issued before now stops working."""
    user.session_version = (user.session_version or 0) + 1
    end_other_sessions(user, keep=None)  # the list of signed-in devices says so too


def set_enabled(user: User, is_enabled: bool) -> None:
    """Let the user sign in again, or stop them: either way their sessions end."""
    user.is_enabled = is_enabled
    end_sessions(user)
    db.session.flush()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    reason: str | None = None  # "unknown", "password", "locked", "inactive"

    @property
    def ok(self) -> bool:
        return self.reason is None


def authenticate(email: str, password: str) -> SignInResult:
    """Check a sign-in attempt, counting failures and locking the account after repeated ones."""
    user = find_user(email)
    if user is None or not user.password_hash:
        _verify(_DUMMY_HASH, password)
        return SignInResult(None, "unknown")
    now = clock.now()
    if user.locked_until and clock.as_aware(user.locked_until) > now:
        # Checked and ignored, even when right: an answer without hashing would be quicker, and the time alone would
        # say that the address has an account.
        _verify(user.password_hash, password)
        return SignInResult(user, "locked")
    if not _verify(user.password_hash, password):
        user.failed_login_count = (user.failed_login_count or 0) + 1
        wait = failure_wait(user.failed_login_count)
        user.locked_until = now + wait if wait else None
        db.session.flush()
        return SignInResult(user, "password")
    if not user.is_active:  # the user, or the user's company, is deactivated
        return SignInResult(user, "inactive")
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.flush()
    return SignInResult(user)


def failure_wait(failures: int) -> timedelta:
    """How long an account waits before the next sign-in try after `failures` failures in a row."""
    if failures < MAX_FAILED_LOGINS:
        return timedelta(0)
    return min(FIRST_WAIT * 2 ** min(failures - MAX_FAILED_LOGINS, 16), LONGEST_WAIT)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _company_rules(name: str, park: str, br_expiry_on: date | None, *, company: Company | None = None) -> str:
    """Check the rules every company meets and return its name as stored; `company` is the one being edited."""
    # Refused, not removed, as in a candidate's name: U+202E shows "evil Co" as "oC live", and a zero-width space
    # makes a second company that reads exactly like the first.
    if characters.has_hidden(name):
        raise AccountError(
            _(
                "The company name has hidden characters that change how it is shown. "
                "Type it again instead of pasting it."
            ),
            "name",
        )
    name = " ".join(name.split())
    if not name:
        raise AccountError(_("A company needs a name."), "name")
    if park not in PARKS:
        raise AccountError(_("Park must be one of %(parks)s.", parks=", ".join(PARKS)), "park")
    same_name = select(Company.id).where(func.lower(Company.name) == name.lower())
    if company is not None and company.id is not None:
        same_name = same_name.where(Company.id != company.id)  # a company may change the case of its own name
    if db.session.scalar(same_name):
        raise AccountError(_("A company called %(name)s already exists.", name=name), "name")
    if br_expiry_on is not None and not is_plausible_date(br_expiry_on):
        raise AccountError(str(implausible_date_message()), "br_expiry_on")
    return name


def create_company(
    name: str,
    *,
    park: str = "HKSTP",
    br_number: str | None = None,
    br_expiry_on: date | None = None,
    tech_areas: list[str] | None = None,
    is_listed: bool = False,
) -> Company:
    """Add a company (tenant); names are unique regardless of case."""
    company = Company(
        name=_company_rules(name, park, br_expiry_on),
        park=park,
        br_number=br_number or None,
        br_expiry_on=br_expiry_on,
        tech_areas=",".join(tech_areas or []),
        is_listed=is_listed,
    )
    db.session.add(company)
    db.session.flush()
    return company


def update_company(
    company: Company,
    *,
    name: str,
    park: str,
    br_number: str | None,
    br_expiry_on: date | None,
    is_listed: bool,
) -> list[str]:
    """Change a company's particulars under the same rules as when it was added; the names of those that changed."""
    values = {
        "name": _company_rules(name, park, br_expiry_on, company=company),
        "park": park,
        "br_number": br_number or None,
        "br_expiry_on": br_expiry_on,
        "is_listed": is_listed,
    }
    changed = [attribute for attribute, value in values.items() if getattr(company, attribute) != value]
    for attribute in changed:
        setattr(company, attribute, values[attribute])
    db.session.flush()
    return changed


def has_expired_br(company: Company, today: date) -> bool:
    """Whether the company's business registration ended before today (a warning, never a refusal)."""
    return company.br_expiry_on is not None and company.br_expiry_on < today


def deactivate_company(company: Company) -> int:
    """Deactivate a company: its HR users are signed out everywhere and refused until it is reactivated.

    Returns how many HR users were signed out (none when the company was already deactivated). The users' own
    switches and API tokens are left as they are, so that reactivating the company restores them as they were.
    """
    if not company.is_active:
        return 0
    company.is_active = False
    for user in company.users:
        end_sessions(user)
    db.session.flush()
    return len(company.users)


def reactivate_company(company: Company) -> None:
    """Let a deactivated company's HR users sign in and use their API tokens again."""
    company.is_active = True
    db.session.flush()


def create_user(
    email: str,
    *,
    role: str,
    password: str | None = None,
    name: str = "",
    company: Company | None = None,
    preferred_language: str | None = None,
) -> User:
    """Add a user; HR users must belong to a company, officers and admins must not."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(_("Enter a valid email address."), "email")
    if role not in STAFF_ROLES:
        raise AccountError(_("Role must be one of %(roles)s.", roles=", ".join(STAFF_ROLES)), "role")
    if role == Role.HR and company is None:
        raise AccountError(_("An HR user needs a company."), "company")
    if role != Role.HR and company is not None:
        raise AccountError(_("Only HR users belong to a company."), "company")
    if company is not None and not company.is_active:
        raise AccountError(_("%(name)s is deactivated: it cannot be given new users.", name=company.name), "company")
    if find_user(email):
        raise AccountError(_("A user with email %(email)s already exists.", email=email), "email")
    name = person_name(name)
    user = User(email=email, role=role, name=name, company=company, preferred_language=preferred_language)
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def person_name(name: str) -> str:
    """A user's name as stored (spaces collapsed); hidden direction or zero-width characters are refused, as in
    company and candidate names: the name shows in the audit log, case events and mail."""
    if characters.has_hidden(name):
        raise AccountError(
            _("The name has hidden characters that change how it is shown. Type it again instead of pasting it."),
            "name",
        )
    return " ".join(name.split())


def rename_user(user: User, name: str) -> None:
    """Change the name a user goes by (see person_name)."""
    user.name = person_name(name)


def choose_language(user: User, language: str | None) -> None:
    """Record the language the person chose (None: follow their browser); mail and notices speak it too."""
    user.preferred_language = language
    db.session.flush()


def keep_sign_in_language(user: User, language: str | None) -> None:
    """At sign-in, record the language picked on the sign-in page when the person has not chosen one yet."""
    # A saved choice stays: the sign-in page's switch may be someone else's on a shared computer.
    if language and user.preferred_language is None:
        choose_language(user, language)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create an API token; the plain token is returned once and only its hash is kept."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip()[:100], token_hash=_token_digest(plain), prefix=plain[:10])
    db.session.add(token)
    db.session.flush()
    return token, plain


def revoke_token(token: ApiToken) -> None:
    """Revoke a token; it stops working at once."""
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        db.session.flush()


def user_for_token(plain: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    digest = _token_digest(plain)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    # The lookup is by hash; the constant-time compare guards against any index side channel.
    if token is None or not hmac.compare_digest(token.token_hash, digest) or token.is_revoked:
        return None
    if not token.user.is_active:  # the user, or the user's company, is deactivated
        return None
    now = clock.now()
    if clock.is_worth_recording(token.last_used_at, now):
        token.last_used_at = now
    return token.user


def load_user(user_key: str) -> User | None:
    """Flask-Login loader: the id and the session version must both match, and the user must be active."""
    try:
        user_id, version = (int(part) for part in user_key.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version or not user.is_active:
        return None
    return user
