"""What the blueprints read from the settings: where photos live, the badge signing keys."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from eventapp.services.checkin import badges


def photos_dir() -> Path:
    """Where speaker photos live: `PHOTOS_DIR` if set, else instance/photos."""
    configured = current_app.config.get("PHOTOS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "photos"


def badge_keys() -> badges.BadgeKeys:
    """Sign with SECRET_KEY; also accept badges signed with the old BADGE_SIGNING_KEYS."""
    config = current_app.config
    return badges.BadgeKeys.from_secrets(config["SECRET_KEY"], config.get("BADGE_SIGNING_KEYS"))
