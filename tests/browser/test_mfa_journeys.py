"""Two-factor sign-in in Chromium: an HR user sets up an authenticator app (the code computed here with pyotp) and
signs in with it; another adds a passkey with Chromium's virtual authenticator and signs in with that; an officer
signs in through the park's OpenID Connect provider (a real one, started here)."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pyotp
from playwright.sync_api import Page, expect

from tests.accounts.oidc_provider import running_provider, sso_config
from tests.browser.helpers import Accessibility, LiveServer, Staff, sign_in
from tests.factories import PASSWORD


def _password_step(page: Page, email: str, site: str = "") -> None:
    page.goto(f"{site}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")


def _password_step_without_factor(page: Page, email: str, site: str) -> None:
    page.goto(f"{site}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to TalentCase")


def test_hr_sets_up_an_authenticator_app_and_signs_in_with_it(page: Page, staff: Staff, a11y: Accessibility) -> None:
    sign_in(page, staff.hr_email)
    page.get_by_role("link", name="My account").click()
    page.get_by_role("link", name="Authenticator app, recovery codes and passkeys").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    a11y.check(page, "Two-factor overview")
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.locator(".qr-code svg")).to_be_visible()
    a11y.check(page, "Set up an authenticator app")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")

    page.get_by_label("Code").fill("123456" if pyotp.TOTP(secret).now() != "123456" else "654321")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    # The previous step's code (still within the window), so that the sign-in below has a fresh one.
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(time.time() - 30))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".recovery-code")).to_have_count(10)
    expect(page.get_by_role("link", name="Download the codes")).to_have_attribute("download", re.compile("recovery"))
    a11y.check(page, "Recovery codes")
    page.get_by_role("link", name="I have kept my codes: continue").click()
    expect(page.locator("#app-title + p")).to_contain_text("Set up.")
    _sign_out(page)

    _password_step(page, staff.hr_email)
    a11y.check(page, "Second factor")
    page.goto("/cases/")  # nothing else is reachable while half signed in
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
    expect(page).not_to_have_url(re.compile("two-factor"))  # signed in: HR's home, the list of cases
    a11y.assert_clean()


def test_a_passkey_from_a_virtual_authenticator_signs_in(page: Page, live_server: LiveServer, staff: Staff) -> None:
    # WebAuthn wants a domain as the relying party, not an IP address: the same server, reached as localhost.
    site = f"http://localhost:{urlsplit(live_server.url).port}"
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    _password_step_without_factor(page, staff.hr_email, site)
    page.goto(f"{site}/account/two-factor")
    page.get_by_label("Name of this passkey").fill("Work laptop")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")  # the first factor brings them
    page.get_by_role("link", name="I have kept my codes: continue").click()
    expect(page.get_by_role("table", name="Your passkeys")).to_contain_text("Work laptop")
    _sign_out(page)

    _password_step(page, staff.hr_email, site)
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
    page.goto(f"{site}/account/two-factor")
    last_used = page.get_by_role("table", name="Your passkeys").locator("tbody td").nth(2)
    expect(last_used).not_to_have_text("—")  # the sign-in used it


def test_park_staff_sign_in_through_the_parks_provider(page: Page, live_server: LiveServer, monkeypatch) -> None:
    """The real node oidc-provider as the park's directory: an officer new to TalentCase signs in through it."""
    site = f"http://localhost:{urlsplit(live_server.url).port}"
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the test provider speaks plain http on localhost
    with running_provider(f"{site}/login/sso/callback") as issuer:
        saved = {key: live_server.app.config.get(key) for key in sso_config(issuer)}
        live_server.app.config.update(sso_config(issuer))
        try:
            page.goto(f"{site}/login")
            page.get_by_role("link", name="Park staff: sign in with your park account").click()
            page.locator("input[name=login]").fill("olivia")  # the provider's own sign-in form
            page.locator("input[name=password]").fill("any password")
            page.get_by_role("button", name="Sign-in").click()
            expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
            expect(page.locator(".who")).to_contain_text("Olivia Wong")
            expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Console")).to_be_visible()
        finally:
            live_server.app.config.update(saved)
