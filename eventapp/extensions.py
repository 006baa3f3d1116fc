"""Flask extensions, created unbound and attached to the app in `init_app`."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from flask import Flask, request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from eventapp.models.base import db

migrate = Migrate()
csrf = CSRFProtect()
login = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()

LOCALE_COOKIE = "lang"


def choose_language(
    chosen: str | None, accept_language: str | None, languages: Sequence[str]
) -> str:
    """The visible switch (`chosen`, from a cookie) wins, then Accept-Language, then the
    first of `languages`. Also used by the page cache, before Flask sees the request."""
    if chosen in languages:
        return chosen  # type: ignore[return-value]
    return _best_language(accept_language or "", tuple(languages))


@lru_cache(maxsize=256)
def _best_language(accept_language: str, languages: tuple[str, ...]) -> str:
    # Browsers send a handful of distinct headers: parse each once per process.
    accepted = parse_accept_header(accept_language, LanguageAccept)
    return accepted.best_match(languages) or languages[0]


#: Set (in the WSGI environ) by a page of one registrant: the language they registered in.
REGISTRANT_LANGUAGE = "eventapp.registrant_language"


def select_locale() -> str:
    """Flask-Babel's locale: the language cookie (or the session's), Accept-Language, English."""
    from flask import current_app

    chosen = (
        request.cookies.get(LOCALE_COOKIE)
        or session.get(LOCALE_COOKIE)
        or request.environ.get(REGISTRANT_LANGUAGE)
    )
    return choose_language(
        chosen, request.headers.get("Accept-Language"), current_app.config["LANGUAGES"]
    )


def init_app(app: Flask) -> None:
    """Bind every extension to `app`."""
    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(app.config.get("MIGRATIONS_DIR", "migrations")), render_as_batch=True
    )
    csrf.init_app(app)
    login.init_app(app)
    login.login_view = "auth.login"
    login.session_protection = "strong"
    limiter.init_app(app)
    # Only single routes carry limits (`@limiter.limit`), and those check themselves in their
    # decorator. With no default or blueprint limits, the extension's global before_request
    # check finds nothing to do, yet it was the largest cost of a cached public page.
    hooks = app.before_request_funcs.get(None, [])
    app.before_request_funcs[None] = [h for h in hooks if h != limiter._check_request_limit]
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories="translations"
    )
