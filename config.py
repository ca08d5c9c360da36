"""Configuration classes; the embedded default is a SQLite file and a local Redis."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = BASE_DIR / "var"


# Keys anyone can read in this repository (or its history): a cookie signed with one gives admin (probe F4).
PUBLIC_KEYS = frozenset({"dev-only-not-secret", "testing-secret"})
MIN_SECRET_KEY_LENGTH = 32


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value else default


def _roles(value: str | None) -> tuple[str, ...]:
    """Roles from a comma-separated setting; "none" for none."""
    return tuple(role.strip() for role in (value or "").split(",") if role.strip() and role.strip() != "none")


def _role_map(value: str | None) -> dict[str, str]:
    """`group=role,…` as a mapping (config.py imports nothing of the app, so this is parsed here)."""
    pairs = (item.split("=", 1) for item in (value or "").split(",") if "=" in item)
    return {group.strip(): role.strip() for group, role in pairs}


class Config:
    """Settings shared by every environment."""

    # Unset in development: create_app makes a random one once into SECRET_KEY_FILE (development_secret_key).
    SECRET_KEY = _env("SECRET_KEY")
    SECRET_KEY_FILE = str(VAR_DIR / "secret_key")
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'talentcase.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = _env("REDIS_URL", "redis://127.0.0.1:6391/0")
    STORAGE_DIR = _env("TALENTCASE_STORAGE", str(VAR_DIR / "storage"))
    MAIL_URL = _env("MAIL_URL")
    # Where people reach the app: every link in mail (invitations, password resets, the expert's link) is built from
    # it, never from the request's Host header, which anyone can set (probe F11). Required in production.
    BASE_URL = _env("TALENTCASE_BASE_URL", _env("TALENTCASE_PUBLIC_URL", "http://localhost:5000"))
    MAIL_SENDER = _env("MAIL_SENDER", "TalentCase <no-reply@talentcase.local>")

    MAX_UPLOAD_BYTES = int(_env("TALENTCASE_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
    # Leave room for the multipart envelope so an oversize file still reaches our own check and message.
    MAX_CONTENT_LENGTH = MAX_UPLOAD_BYTES + 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A signed-in session ends after this long without a request (fractions allowed: the browser tests use seconds)
    # and, however busy, this long after sign-in; the warning dialog shows SESSION_WARNING_SECONDS before the first.
    SESSION_IDLE_MINUTES = float(_env("SESSION_IDLE_MINUTES", "30"))
    SESSION_MAX_HOURS = int(_env("SESSION_MAX_HOURS", "12"))
    SESSION_WARNING_SECONDS = 120
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Hong_Kong"
    LANGUAGES = ("en", "zh_Hant_HK")

    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", REDIS_URL)
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute"
    # Roles that must have a second factor to sign in (comma-separated); off by default so that `make run` signs in
    # with the demo passwords, on for officers and admins in production.
    REQUIRE_2FA_ROLES = _roles(_env("TALENTCASE_REQUIRE_2FA_ROLES", "none"))
    MFA_RATE_LIMIT = "10 per minute"
    # The origin passkeys are made for (its host is the WebAuthn relying party); unset: the request's own.
    WEBAUTHN_ORIGIN = _env("TALENTCASE_WEBAUTHN_ORIGIN")
    # Single sign-on for park staff (OpenID Connect): on when SSO_ISSUER is set. The role claim's groups map to roles
    # ("park-officers=officer,park-admins=admin"); SSO_CREATE_USERS makes accounts on first sign-in; with
    # SSO_LOCAL_PASSWORDS off, a person who signs in through the provider loses their local password.
    SSO_ISSUER = _env("TALENTCASE_SSO_ISSUER")
    SSO_CLIENT_ID = _env("TALENTCASE_SSO_CLIENT_ID")
    SSO_CLIENT_SECRET = _env("TALENTCASE_SSO_CLIENT_SECRET")
    SSO_ROLE_CLAIM = _env("TALENTCASE_SSO_ROLE_CLAIM", "groups")
    SSO_ROLE_MAP = _role_map(_env("TALENTCASE_SSO_ROLE_MAP"))
    SSO_CREATE_USERS = _env("TALENTCASE_SSO_CREATE_USERS", "0") == "1"
    SSO_LOCAL_PASSWORDS = _env("TALENTCASE_SSO_LOCAL_PASSWORDS", "1") == "1"
    LOGIN_ADDRESS_RATE_LIMIT = "60 per minute"
    # How many proxies (load balancers) in front of the app set X-Forwarded-For/-Proto: their word is taken for the
    # client's address only then (ProxyFix), so limits and the audit log see the client, not the balancer. 0: none.
    PROXY_COUNT = int(_env("TALENTCASE_PROXY_COUNT", "0"))
    # Password reset mails asked for, per address and account: enough for a mail that went astray, not for a flood.
    RESET_RATE_LIMIT = "3 per hour"

    CASES_PER_PAGE = 25
    JOB_TIMEOUT = 600
    # Seconds between runs of periodic jobs, by job name (defaults in the code: sweep every 15 minutes).
    PERIODIC_INTERVALS: dict[str, int] = {}
    # The market-rate floor that a candidate's monthly pay must reach (eligibility check "salary").
    MARKET_SALARY_FLOOR_HKD = int(_env("TALENTCASE_MARKET_SALARY_FLOOR_HKD", "25000"))
    TESTING = False


class DevelopmentConfig(Config):
    """The one-machine default that `make run` uses."""

    DEBUG = False


class TestingConfig(Config):
    """Isolated settings for pytest; each test gets its own database file and storage folder."""

    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    WTF_CSRF_ENABLED = False
    SERVER_NAME = None
    # Many tests travel days in time with one signed-in client: sessions outlive them unless a test sets the limits.
    SESSION_IDLE_MINUTES = 100 * 365 * 24 * 60.0
    SESSION_MAX_HOURS = 100 * 365 * 24


class ProductionConfig(Config):
    """Production refuses to start without a real secret and a real database."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    REQUIRE_2FA_ROLES = _roles(_env("TALENTCASE_REQUIRE_2FA_ROLES", "officer,admin"))
    WEBAUTHN_ORIGIN = _env("TALENTCASE_WEBAUTHN_ORIGIN", _env("TALENTCASE_BASE_URL", _env("TALENTCASE_PUBLIC_URL")))
    PREFERRED_URL_SCHEME = "https"
    # Per process: WEB_CONCURRENCY web processes × (pool + overflow) must stay under PostgreSQL's max_connections.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {
        "pool_pre_ping": True,
        "pool_recycle": 1800,
        "pool_size": int(_env("TALENTCASE_DB_POOL_SIZE", "5")),
        "max_overflow": int(_env("TALENTCASE_DB_MAX_OVERFLOW", "5")),
        "pool_timeout": 10,
    }

    @classmethod
    def validate(cls) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "TALENTCASE_BASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(f"ProductionConfig needs these environment variables: {', '.join(missing)}")
        key = os.environ["SECRET_KEY"]
        if key in PUBLIC_KEYS or len(key) < MIN_SECRET_KEY_LENGTH:
            raise RuntimeError(
                f"SECRET_KEY must be a private random string of at least {MIN_SECRET_KEY_LENGTH} characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def development_secret_key(path: str) -> str:
    """The checkout's own random key, made on first run and kept (owner-only) so sessions survive a restart."""
    file = Path(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        draft = file.with_name(f".{file.name}.{os.getpid()}")
        # Owner-only from the start, and put in place by a link, which fails when another process (a second
        # gunicorn worker) was first: every process then reads the same whole key.
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(draft, file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return file.read_text().strip()


def config_from_env() -> type[Config]:
    """Pick the config class named by TALENTCASE_ENV (default: development)."""
    return CONFIGS[os.environ.get("TALENTCASE_ENV", "development")]
