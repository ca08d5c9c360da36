"""A real OpenID Connect provider for the SSO tests: panva/node-oidc-provider (tests/oidc/provider.mjs) under node."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

HERE = Path(__file__).resolve().parents[1] / "oidc"
CLIENT_ID = "talentcase"
CLIENT_SECRET = "talentcase-test-secret"
DIRECTORY = {
    "olivia": {"email": "olivia@park.test", "name": "Olivia Wong", "groups": ["staff", "park-officers"]},
    "adam": {"email": "admin@park.test", "name": "Adam Lee", "groups": ["park-admins"]},
    "visitor": {"email": "visitor@park.test", "name": "Vic", "groups": ["staff"]},
}
ROLE_MAP = {"park-officers": "officer", "park-admins": "admin"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sso_config(issuer: str) -> dict:
    """The app settings that point single sign-on at the provider."""
    return {
        "SSO_ISSUER": issuer,
        "SSO_CLIENT_ID": CLIENT_ID,
        "SSO_CLIENT_SECRET": CLIENT_SECRET,
        "SSO_ROLE_MAP": ROLE_MAP,
        "SSO_CREATE_USERS": True,
        "SSO_LOCAL_PASSWORDS": False,
    }


@contextmanager
def running_provider(callback: str) -> Iterator[str]:
    """Start the provider for one client whose redirect URI is `callback`; yields its issuer URL."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.fail("The SSO tests need node and npm (Debian: nodejs npm) for a real OpenID provider")
    if not (HERE / "node_modules" / "oidc-provider").exists():  # first run on this checkout: the locked version
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(HERE)], check=True, timeout=600)
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            ["node", str(HERE / "provider.mjs"), str(port), callback],
            env={**os.environ, "OIDC_ACCOUNTS": json.dumps(DIRECTORY)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        issuer = f"http://localhost:{port}"
        try:
            _wait_for(issuer, log)
            yield issuer
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_for(issuer: str, log) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).raise_for_status()
            return
        except requests.RequestException:
            time.sleep(0.1)
    log.seek(0)
    pytest.fail("the OpenID provider did not start: " + log.read().decode()[-2000:])
