"""Pure helpers for the second factor: TOTP secrets and codes, their QR code, recovery codes, encryption at rest."""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
from collections.abc import Iterable
from datetime import datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken

ISSUER = "TalentCase"
STEP_SECONDS = 30
# One step either side: a phone's clock a little off, or a code typed as it turned over, still counts.
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt


def new_secret() -> str:
    """A fresh base32 TOTP secret (160 bits)."""
    return pyotp.random_base32(32)


def otpauth_uri(secret: str, account: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_svg(uri: str, title: str) -> str:
    """The URI as an SVG QR code to put in a page (no script, no image file), with a title for screen readers and the
    URI itself as its description (the page shows the secret in text anyway, for typing it in)."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False, title=title, desc=uri)
    return out.getvalue().decode()


def time_step(at: datetime) -> int:
    """The TOTP time step (counter) that the instant falls in."""
    return int(at.timestamp()) // STEP_SECONDS


def matching_step(secret: str, code: str, at: datetime, after_step: int = 0) -> int | None:
    """The time step whose code this is, within the window around `at` and later than `after_step`, else None.

    A code is refused for a step already used, so that a code seen over a shoulder cannot be replayed."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_step = time_step(at)
    for step in range(now_step - VALID_WINDOW, now_step + VALID_WINDOW + 1):
        if step > after_step and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Fresh recovery codes, `xxxxx-xxxxx` (about 49 bits each)."""
    return [_recovery_code() for _ in range(count)]


def _recovery_code() -> str:
    letters = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}"


def normalise_recovery_code(text: str) -> str:
    """A typed recovery code as stored: lower case, without spaces or hyphens."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def looks_like_totp(text: str) -> bool:
    """Whether what was typed is a six-digit authenticator code (else it is tried as a recovery code)."""
    code = "".join(text.split())
    return code.isdigit() and len(code) == 6


def recovery_codes_text(codes: Iterable[str], heading: str, note: str) -> str:
    """The plain-text file a person downloads or prints to keep their recovery codes (heading and note translated)."""
    return "\n".join([heading, note, "", *codes, ""])


def _fernet(secret_key: str) -> Fernet:
    # A key of its own, derived from SECRET_KEY: changing SECRET_KEY makes every enrolled app unreadable (people
    # then enrol again), which is said in docs; a separate setting would be one more secret to lose.
    digest = hashlib.sha256(b"talentcase-totp-secret|" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_secret(secret: str, secret_key: str) -> str:
    """The TOTP secret encrypted for storage."""
    return _fernet(secret_key).encrypt(secret.encode()).decode()


def decrypt_secret(token: str, secret_key: str) -> str | None:
    """The TOTP secret, or None when it was encrypted under another SECRET_KEY."""
    try:
        return _fernet(secret_key).decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def is_required(role: str, required_roles: Iterable[str]) -> bool:
    """Whether a person of this role must have a second factor to sign in."""
    return role in set(required_roles)
