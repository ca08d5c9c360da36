"""Passkeys (WebAuthn) as a second factor: the options a browser needs, and checking what it answers.

py_webauthn does the cryptography; this module keeps the credentials and the sign counts. Services flush, never
commit."""

from __future__ import annotations

import json

from sqlalchemy import select
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from talentcase.accounts.mfa_models import Passkey
from talentcase.accounts.models import User
from talentcase.common import clock
from talentcase.extensions import db

RP_NAME = "TalentCase"


class PasskeyError(ValueError):
    """A passkey the browser sent that is not accepted."""


def _descriptors(keys: list[Passkey]) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=base64url_to_bytes(key.credential_id)) for key in keys]


def registration_options(user: User, rp_id: str, existing: list[Passkey]) -> tuple[str, str]:
    """The JSON options for navigator.credentials.create() and the challenge to keep (base64url)."""
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=RP_NAME,
        user_id=f"talentcase-user-{user.id}".encode(),
        user_name=user.email,
        user_display_name=user.display_name,
        exclude_credentials=_descriptors(existing),  # the same authenticator twice would be no second way in
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED, user_verification=UserVerificationRequirement.PREFERRED
        ),
    )
    return options_to_json(options), bytes_to_base64url(options.challenge)


def register(user: User, credential: str, *, name: str, challenge: str, rp_id: str, origin: str) -> Passkey:
    """Keep the passkey the browser created, once its answer to our challenge checks out."""
    try:
        verified = verify_registration_response(
            credential=json.loads(credential),
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    # Anything the browser (or someone posing as one) sends that does not check out, however it fails to.
    except (WebAuthnException, ValueError, TypeError, KeyError, AttributeError) as error:
        raise PasskeyError(str(error)) from error
    credential_id = bytes_to_base64url(verified.credential_id)
    if db.session.scalar(select(Passkey.id).where(Passkey.credential_id == credential_id)):
        raise PasskeyError("This passkey is registered already.")
    passkey = Passkey(
        user_id=user.id,
        name=" ".join(name.split())[:100],
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
    )
    db.session.add(passkey)
    db.session.flush()
    return passkey


def authentication_options(rp_id: str, keys: list[Passkey]) -> tuple[str, str]:
    """The JSON options for navigator.credentials.get() limited to the user's passkeys, and the challenge to keep."""
    options = generate_authentication_options(
        rp_id=rp_id, allow_credentials=_descriptors(keys), user_verification=UserVerificationRequirement.PREFERRED
    )
    return options_to_json(options), bytes_to_base64url(options.challenge)


def authenticate(keys: list[Passkey], credential: str, *, challenge: str, rp_id: str, origin: str) -> Passkey:
    """The user's passkey that signed our challenge; its sign count moves on."""
    try:
        answer = json.loads(credential)
        passkey = next(key for key in keys if key.credential_id == answer.get("id"))
        verified = verify_authentication_response(
            credential=answer,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
        )
    except (StopIteration, WebAuthnException, ValueError, TypeError, KeyError, AttributeError) as error:
        raise PasskeyError(str(error)) from error
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = clock.now()
    db.session.flush()
    return passkey


def remove(passkey: Passkey) -> None:
    """Forget a passkey."""
    db.session.delete(passkey)
    db.session.flush()
