"""partnering scheduler: runs kept for review and publishing, meetings held or no-show

A scheduler run (#20) is a preview: its plan is stored in `partnering_runs` until an
organizer publishes it. Meetings gain their outcome (held, no-show) with who marked it
and when.

Revision ID: partnering_scheduler_runs
Revises: partnering_organization_requests
Create Date: 2026-12-05 10:00:00

"""

import sqlalchemy as sa
from alembic import op

import eventapp.models.base

# revision identifiers, used by Alembic.
revision = "partnering_scheduler_runs"
down_revision = "partnering_organization_requests"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "partnering_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "running", "done", "failed", "published", name="runstatus",
                native_enum=False, create_constraint=True, length=24,
            ),
            nullable=False,
        ),
        sa.Column("time_limit", sa.Float(), nullable=False),
        sa.Column("base_revision", sa.Integer(), nullable=False),
        sa.Column("started_at", eventapp.models.base.UTCDateTime(), nullable=False),
        sa.Column("finished_at", eventapp.models.base.UTCDateTime(), nullable=True),
        sa.Column("published_at", eventapp.models.base.UTCDateTime(), nullable=True),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_partnering_runs_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["accounts.id"],
            name=op.f("fk_partnering_runs_started_by_id_accounts"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnering_runs")),
    )
    with op.batch_alter_table("partnering_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partnering_runs_event_id"), ["event_id"])
    with op.batch_alter_table("partnering_meetings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "outcome",
                sa.Enum(
                    "held", "no_show", name="meetingoutcome",
                    native_enum=False, create_constraint=True, length=24,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("outcome_at", eventapp.models.base.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("outcome_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_partnering_meetings_outcome_by_id_accounts"),
            "accounts", ["outcome_by_id"], ["id"], ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("partnering_meetings", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_partnering_meetings_outcome_by_id_accounts"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("ck_partnering_meetings_meetingoutcome"), type_="check")
        batch_op.drop_column("outcome_by_id")
        batch_op.drop_column("outcome_at")
        batch_op.drop_column("outcome")
    with op.batch_alter_table("partnering_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partnering_runs_event_id"))
    op.drop_table("partnering_runs")
