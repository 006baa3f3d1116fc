"""eventapp: symposium logistics. `create_app()` is the only way to get an app."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from eventapp import cli, extensions, web
from eventapp.config import check_settings, environ, settings_from_env
from eventapp.web.pagecache import PageCache

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; `config` overrides settings read from the environment."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(settings_from_env(environ()))
    app.config["MIGRATIONS_DIR"] = str(ROOT / "migrations")
    app.config.from_mapping(config or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    check_settings(app)
    # Inside ProxyFix, so the cache keys pages by the client's scheme and host.
    page_cache = PageCache(app, app.wsgi_app)
    app.extensions["eventapp_page_cache"] = page_cache
    app.wsgi_app = page_cache  # type: ignore[method-assign]
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]
    extensions.init_app(app)
    web.register_blueprints(app)
    cli.register_commands(app)
    return app
