"""Second-factor rules: enrol and check an authenticator app, recovery codes, reset. Services flush, never commit."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from talentcase.accounts import mfa
from talentcase.accounts.mfa_models import Passkey, RecoveryCode, TotpFactor
from talentcase.accounts.models import User
from talentcase.common import clock
from talentcase.extensions import db

# argon2id as for passwords, with a lighter cost: a code is ~49 random bits (nothing to guess from a dictionary) and
# a sign-in may try it against all ten hashes.
_code_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class MfaError(ValueError):
    """A refused second-factor operation, with a message fit to show the person."""


def totp_factor(user: User) -> TotpFactor | None:
    """The user's authenticator app, confirmed or not."""
    return db.session.scalar(select(TotpFactor).where(TotpFactor.user_id == user.id))


def passkeys(user: User) -> list[Passkey]:
    """The user's passkeys, oldest first."""
    return list(db.session.scalars(select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.id)))


def has_totp(user: User) -> bool:
    factor = totp_factor(user)
    return factor is not None and factor.is_confirmed


def has_second_factor(user: User) -> bool:
    """Whether the user has a confirmed authenticator app or a passkey."""
    return has_totp(user) or bool(passkeys(user))


def begin_totp(user: User, secret_key: str) -> str:
    """The secret of the user's authenticator app being set up (a new one unless one is already waiting)."""
    factor = totp_factor(user)
    if factor is not None and factor.is_confirmed:
        raise MfaError(_("You already have an authenticator app. Remove it first to set up another."))
    if factor is not None:
        secret = mfa.decrypt_secret(factor.secret_encrypted, secret_key)
        if secret is not None:
            return secret
        db.session.delete(factor)
        db.session.flush()
    secret = mfa.new_secret()
    db.session.add(TotpFactor(user_id=user.id, secret_encrypted=mfa.encrypt_secret(secret, secret_key), last_step=0))
    db.session.flush()
    return secret


def confirm_totp(user: User, code: str, secret_key: str) -> list[str]:
    """Confirm the app being set up with a code from it; returns fresh recovery codes (to show once)."""
    factor = totp_factor(user)
    if factor is None or factor.is_confirmed:
        raise MfaError(_("Start setting up your authenticator app again."))
    if not _accept_code(factor, code, secret_key):
        raise MfaError(_("That code is not right. Enter the 6-digit code your app shows now."))
    factor.confirmed_at = clock.now()
    db.session.flush()
    return issue_recovery_codes(user)


def check_totp(user: User, code: str, secret_key: str) -> bool:
    """Whether the code is the user's current one, not used before; a right code cannot be used again."""
    factor = totp_factor(user)
    return factor is not None and factor.is_confirmed and _accept_code(factor, code, secret_key)


def _accept_code(factor: TotpFactor, code: str, secret_key: str) -> bool:
    secret = mfa.decrypt_secret(factor.secret_encrypted, secret_key)
    if secret is None:
        return False
    step = mfa.matching_step(secret, code, clock.now(), after_step=factor.last_step or 0)
    if step is None:
        return False
    factor.last_step = step
    db.session.flush()
    return True


def issue_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes for the user (the old ones stop working); only their hashes are kept."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = mfa.new_recovery_codes()
    for code in codes:
        code_hash = _code_hasher.hash(mfa.normalise_recovery_code(code))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=code_hash))
    db.session.flush()
    return codes


def use_recovery_code(user: User, text: str) -> bool:
    """Whether the text is one of the user's unused recovery codes; if so it is used up."""
    typed = mfa.normalise_recovery_code(text)
    if len(typed) != 10:
        return False
    unused = select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    for row in db.session.scalars(unused):
        try:
            _code_hasher.verify(row.code_hash, typed)
        except (VerificationError, InvalidHashError):
            continue
        row.used_at = clock.now()
        db.session.flush()
        return True
    return False


def unused_recovery_codes(user: User) -> int:
    """How many of the user's recovery codes are left."""
    query = select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    return db.session.scalar(query) or 0


def remove_totp(user: User) -> None:
    """Remove the user's authenticator app; with no passkey left, the recovery codes go too."""
    db.session.execute(delete(TotpFactor).where(TotpFactor.user_id == user.id))
    if not passkeys(user):
        db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


def reset_second_factor(user: User) -> int:
    """Remove every second factor of the user (app, recovery codes, passkeys); how many factors were removed."""
    removed = int(has_totp(user)) + len(passkeys(user))
    for model in (TotpFactor, RecoveryCode, Passkey):
        db.session.execute(delete(model).where(model.user_id == user.id))
    db.session.flush()
    return removed
