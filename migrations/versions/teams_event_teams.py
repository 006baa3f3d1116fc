"""event teams: staff accounts act on the events of their teams

Organizers and door staff act only on the events whose team they are in; admins on every
event (#15). Existing organizer and door accounts start in no team: an admin adds them.

Revision ID: 7e4a1b9c2d30
Revises: 7c3e9a1b5d20
Create Date: 2026-12-03 10:40:00

"""

import sqlalchemy as sa
from alembic import op

import eventapp.models.base

# revision identifiers, used by Alembic.
revision = "7e4a1b9c2d30"
down_revision = "7c3e9a1b5d20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "team_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("added_at", eventapp.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_team_members_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_team_members_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_members")),
        sa.UniqueConstraint("event_id", "account_id", name="uq_team_members_pair"),
    )
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_members_account_id"), ["account_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_members_account_id"))
    op.drop_table("team_members")
