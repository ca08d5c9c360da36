"""The pure second-factor helpers: codes, steps, recovery codes, the QR code, encryption at rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp

from talentcase.accounts import mfa

AT = datetime(2026, 12, 8, 1, 0, 10, tzinfo=UTC)


def test_the_current_code_matches_its_step_and_not_again_once_used():
    secret = mfa.new_secret()
    code = pyotp.TOTP(secret).at(AT)
    step = mfa.matching_step(secret, code, AT)
    assert step == mfa.time_step(AT)
    assert mfa.matching_step(secret, code, AT, after_step=step) is None


def test_a_code_one_step_old_counts_but_not_two():
    secret = mfa.new_secret()
    assert mfa.matching_step(secret, pyotp.TOTP(secret).at(AT - timedelta(seconds=30)), AT) is not None
    assert mfa.matching_step(secret, pyotp.TOTP(secret).at(AT - timedelta(seconds=90)), AT) is None


def test_anything_but_six_digits_is_no_code():
    secret = mfa.new_secret()
    for typed in ("", "12345", "1234567", "abcdef", "12 34 5x"):
        assert mfa.matching_step(secret, typed, AT) is None


def test_recovery_codes_are_ten_distinct_and_read_back_however_typed():
    codes = mfa.new_recovery_codes()
    assert len(codes) == 10 == len(set(codes))
    assert mfa.normalise_recovery_code(" " + codes[0].upper().replace("-", " - ")) == codes[0].replace("-", "")


def test_the_qr_code_is_an_svg_that_carries_the_otpauth_uri():
    uri = mfa.otpauth_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "officer@park.test")
    assert uri.startswith("otpauth://totp/TalentCase:officer%40park.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    svg = mfa.qr_svg(uri, "QR code")
    assert svg.startswith("<svg") and "<path" in svg
    assert uri.replace("&", "&amp;") in svg


def test_the_secret_is_encrypted_and_only_this_key_opens_it():
    token = mfa.encrypt_secret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "key-one")
    assert "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" not in token
    assert mfa.decrypt_secret(token, "key-one") == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    assert mfa.decrypt_secret(token, "key-two") is None


def test_required_roles():
    assert mfa.is_required("officer", ("officer", "admin"))
    assert not mfa.is_required("hr", ("officer", "admin"))
    assert not mfa.is_required("admin", ())
