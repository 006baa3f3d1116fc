"""scans may say not_admitted

A session door refuses someone confirmed for the event when the session is cancelled or
unpublished, or when it has a capacity and they hold no seat (#15 §3); the scan records
that as `not_admitted`.

Revision ID: c4e1d2a3b5f7
Revises: 7e4a1b9c2d30
Create Date: 2026-12-03 10:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e1d2a3b5f7"
down_revision = "7e4a1b9c2d30"
branch_labels = None
depends_on = None

_BEFORE = ("checked_in", "already_checked_in", "invalid", "not_confirmed", "wrong_event")
_AFTER = (*_BEFORE, "not_admitted")


def _result_type(values):
    return sa.Enum(*values, name="scanresult", native_enum=False, create_constraint=True, length=24)


def _change(old, new):
    # Alembic drops the CHECK constraint of `existing_type` and creates the new type's
    # (SQLite rebuilds the table in batch mode).
    with op.batch_alter_table("scans", schema=None) as batch_op:
        batch_op.alter_column(
            "result", existing_type=_result_type(old), type_=_result_type(new), existing_nullable=False
        )


def upgrade():
    _change(_BEFORE, _AFTER)


def downgrade():
    op.execute("DELETE FROM scans WHERE result = 'not_admitted'")
    _change(_AFTER, _BEFORE)
