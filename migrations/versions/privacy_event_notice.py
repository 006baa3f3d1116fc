"""events name their data controller and retention period

The privacy notice says who is responsible for the registrants' data and when it is
deleted, as Korea's Personal Information Protection Act (art. 15) expects of a consent
form (#22). Unset for existing events: the notice then falls back to the organizers.

Revision ID: 7c1e5a2d9b40
Revises: 5e55a9e1091a
Create Date: 2026-12-04 00:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c1e5a2d9b40"
down_revision = "5e55a9e1091a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("privacy_controller", sa.String(length=300), nullable=True))
        batch_op.add_column(
            sa.Column("privacy_controller_ko", sa.String(length=300), nullable=True)
        )
        batch_op.add_column(sa.Column("retention_days", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("retention_days")
        batch_op.drop_column("privacy_controller_ko")
        batch_op.drop_column("privacy_controller")
