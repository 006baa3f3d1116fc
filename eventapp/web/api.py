"""JSON API for staff tools: check-in and statistics."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__)
