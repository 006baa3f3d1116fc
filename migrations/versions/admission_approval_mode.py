"""admission modes: approval-required events, pending and declined registrations, quotas

Events choose who may register (#17): open (as before, the default) or approval
required, where a registration waits as `pending` (no seat) until an organizer approves
(seat or waiting list) or declines it. The status CHECK constraints gain both values.

Revision ID: admission_approval_mode
Revises: 0ff11e5ca7a1
Create Date: 2026-12-04 00:55:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "admission_approval_mode"
down_revision = "0ff11e5ca7a1"
branch_labels = None
depends_on = None

_OLD = ("confirmed", "waitlisted", "cancelled")
_NEW = _OLD + ("pending", "declined")


def _status_check(values):
    listed = ", ".join(f"'{value}'" for value in values)
    return f"status IN ({listed})"


def _replace_status_checks(values):
    for table in ("registrations", "session_signups"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_registrationstatus"), type_="check")
            batch_op.create_check_constraint("registrationstatus", _status_check(values))


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "admission_mode",
                sa.Enum(
                    "open",
                    "approval",
                    name="admissionmode",
                    native_enum=False,
                    create_constraint=True,
                    length=24,
                ),
                server_default="open",
                nullable=False,
            )
        )
    _replace_status_checks(_NEW)
    op.create_table(
        "category_quotas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "government",
                "industry",
                "academia",
                "press",
                "speaker",
                "staff",
                "other",
                name="category",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.CheckConstraint("seats >= 0", name=op.f("ck_category_quotas_seats_positive")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_category_quotas_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category_quotas")),
        sa.UniqueConstraint(
            "event_id", "category", name=op.f("uq_category_quotas_event_id_category")
        ),
    )


def downgrade():
    op.drop_table("category_quotas")
    op.execute("UPDATE registrations SET status = 'cancelled' WHERE status IN ('pending', 'declined')")
    op.execute("UPDATE session_signups SET status = 'cancelled' WHERE status IN ('pending', 'declined')")
    _replace_status_checks(_OLD)
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_events_admissionmode"), type_="check")
        batch_op.drop_column("admission_mode")
