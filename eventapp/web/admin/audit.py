"""The audit log: who changed what, when. Admins only."""

from __future__ import annotations

from typing import Any

from flask import render_template

from eventapp.models import Role
from eventapp.services import accounts
from eventapp.web.admin import bp, paginate, text_arg
from eventapp.web.auth import role_required


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit_log() -> Any:
    action = text_arg("action", 80)
    return render_template(
        "admin/audit.html", page=paginate(accounts.audit_statement(action)), action=action
    )
