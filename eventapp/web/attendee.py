"""Attendee self-service by the secret link in their email: /me/<token>…"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("attendee", __name__)
