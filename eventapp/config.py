"""Settings from environment variables, with safe defaults. One function, explicit names."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from eventapp.languages import LANGUAGES


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def settings_from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """Build the Flask config from environment variables (see README, 'Configuration')."""
    secure_cookies = _flag(env.get("SESSION_COOKIE_SECURE"))
    return {
        "SECRET_KEY": env.get("SECRET_KEY", ""),
        # A relative SQLite path lands in the instance folder (Flask-SQLAlchemy 3).
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL", "sqlite:///eventapp.db"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PUBLIC_URL": env.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT", "25") or 25),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _flag(env.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _flag(env.get("MAIL_USE_SSL")),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "eventapp@localhost"),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _flag(env.get("RATELIMIT_ENABLED"), default=True),
        #: Worker processes serving the app: gunicorn's own variable for its `--workers`.
        "WEB_CONCURRENCY": int(env.get("WEB_CONCURRENCY", "1") or 1),
        # Every cookie the app sets takes its flags from here (the language cookie too).
        "SESSION_COOKIE_SECURE": secure_cookies,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        #: Flask refuses a signed session cookie older than this (a staff login's day).
        "PERMANENT_SESSION_LIFETIME": timedelta(
            hours=float(env.get("SESSION_LIFETIME_HOURS", "12") or 12)
        ),
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        #: "Keep me logged in" lasts this long (Flask-Login's default is a year).
        "REMEMBER_COOKIE_DURATION": timedelta(
            days=float(env.get("REMEMBER_COOKIE_DAYS", "14") or 14)
        ),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": LANGUAGES,
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(8 * 1024 * 1024))),
        #: Seconds a rendered public page is reused for anonymous visitors (0 = off).
        "PAGE_CACHE_SECONDS": float(env.get("PAGE_CACHE_SECONDS", "5") or 0),
        "REGISTRATION_RATE_LIMIT": env.get("REGISTRATION_RATE_LIMIT", "10 per minute"),
        #: Login attempts per client network, whatever the account (web/throttle.py).
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute; 50 per hour"),
        #: Wrong passwords or codes per account from one network; another network is not
        #: locked out by them.
        "LOGIN_ACCOUNT_RATE_LIMIT": env.get("LOGIN_ACCOUNT_RATE_LIMIT", "5 per 15 minutes"),
        #: Number of reverse proxies in front of the app whose X-Forwarded-* headers to trust
        #: (so rate limits and HTTPS detection see the client, not the proxy). 0 = none.
        "PROXY_COUNT": int(env.get("PROXY_COUNT", "0") or 0),
        #: Former SECRET_KEYs whose badges must still scan after a key rotation (comma-separated).
        #: Where speaker photos are stored; empty means `instance/photos`.
        "PHOTOS_DIR": env.get("PHOTOS_DIR", ""),
        "BADGE_SIGNING_KEYS": [
            k for k in env.get("BADGE_SIGNING_KEYS", "").split(",") if k.strip()
        ],
        #: Wait for the disk at every door scan's commit (PostgreSQL). Off by default: a
        #: scan's commit returns before the WAL is flushed, so a database-server crash can
        #: lose the last fraction of a second of scans (see services/checkin/postgres.py).
        "CHECKIN_DURABLE_COMMIT": _flag(env.get("CHECKIN_DURABLE_COMMIT")),
        "API_TOKENS": [t for t in env.get("API_TOKENS", "").split(",") if t.strip()],
        #: Seconds the meeting scheduler's solver may use for one run (#20; 1 to 600).
        "PARTNERING_TIME_LIMIT": float(env.get("PARTNERING_TIME_LIMIT", "10") or 10),
    }


def secret_from_instance(app: Flask) -> str:
    """The development secret written by `make run` into the git-ignored instance folder."""
    path = Path(app.instance_path) / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def check_settings(app: Flask) -> None:
    """Fail loudly on a missing secret; never run with a guessable key."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_from_instance(app)
    if not app.config["SECRET_KEY"] and not app.testing:
        raise RuntimeError(
            "SECRET_KEY is not set: export SECRET_KEY or run `make run`, which writes "
            "instance/secret_key (see README, 'Configuration')."
        )
    if app.config.get("MAIL_USE_TLS") and app.config.get("MAIL_USE_SSL"):
        raise RuntimeError("MAIL_USE_TLS and MAIL_USE_SSL are exclusive; set one of them.")
    _check_rate_limit_storage(app)


def _check_rate_limit_storage(app: Flask) -> None:
    """Login throttling counts in the limiter's storage: `memory://` is one process's own.

    Refuse several workers with it outside development; with one (or an unknown number,
    e.g. `gunicorn --workers 4` without WEB_CONCURRENCY), say so once it serves."""
    if app.debug or app.testing or not app.config.get("RATELIMIT_ENABLED", True):
        return
    if not str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://"):
        return
    if app.config.get("WEB_CONCURRENCY", 1) > 1:
        raise RuntimeError(
            "RATELIMIT_STORAGE_URI=memory:// with several workers (WEB_CONCURRENCY="
            f"{app.config['WEB_CONCURRENCY']}) gives each worker its own login limits; set "
            "RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (see README, 'Configuration')."
        )
    # Said when the process first serves a request, not at every `flask seed` or
    # `flask db upgrade`, where no limit is counted and the warning was only noise.
    warned = False

    def warn_once() -> None:
        nonlocal warned
        if not warned:
            warned = True
            app.logger.warning(
                "RATELIMIT_STORAGE_URI=memory://: rate limits are kept per worker process; "
                "with several workers set RATELIMIT_STORAGE_URI=redis://… so they share one "
                "count."
            )

    app.before_request(warn_once)


def environ() -> Mapping[str, str]:
    """The process environment (a function so tests can see where settings come from)."""
    return os.environ
