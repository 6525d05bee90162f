"""Settings, read from the environment first and then from .streamlit/secrets.toml."""
from __future__ import annotations

import os
import secrets
import tomllib
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_SQLITE = DATA_DIR / "icwg.sqlite3"
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
DEV_COOKIE_KEY_FILE = DATA_DIR / "cookie_key.txt"

DEMO = "demo"
PRODUCTION = "production"


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


@lru_cache(maxsize=1)
def _secrets() -> dict:
    if SECRETS_FILE.exists():
        with SECRETS_FILE.open("rb") as handle:
            return tomllib.load(handle)
    return {}


def setting(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value not in (None, ""):
        return value
    value = _secrets().get(name)
    return str(value) if value not in (None, "") else default


def database_url() -> str:
    url = setting("DATABASE_URL")
    if url:
        return url
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE}"


def app_mode() -> str:
    mode = (setting("APP_MODE", DEMO) or DEMO).lower()
    if mode not in (DEMO, PRODUCTION):
        raise ConfigError(f"APP_MODE must be '{DEMO}' or '{PRODUCTION}', not '{mode}'.")
    return mode


def is_demo() -> bool:
    return app_mode() == DEMO


def demo_data_enabled() -> bool:
    """Demo data loads on first start in demo mode unless DEMO_DATA=off."""
    return is_demo() and (setting("DEMO_DATA", "on") or "on").lower() not in ("0", "off", "false", "no")


def cookie_key() -> str:
    """The key that signs login cookies. Production must configure one; in development a
    random key is made once and kept in a git-ignored file, never a constant in the code."""
    key = setting("COOKIE_KEY")
    if key:
        return key
    if app_mode() == PRODUCTION:
        raise ConfigError("APP_MODE=production needs COOKIE_KEY (environment or .streamlit/secrets.toml).")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if not DEV_COOKIE_KEY_FILE.exists():
        DEV_COOKIE_KEY_FILE.write_text(secrets.token_urlsafe(32))
        DEV_COOKIE_KEY_FILE.chmod(0o600)
    return DEV_COOKIE_KEY_FILE.read_text().strip()


def session_hours() -> float:
    """The idle limit, in hours: a session not used for this long has ended."""
    return float(setting("SESSION_HOURS", "12") or 12)


def session_max_hours() -> float:
    """The absolute limit, in hours: a session ends this long after login however active it is
    (also the login cookie's life)."""
    return float(setting("SESSION_MAX_HOURS", "24") or 24)
