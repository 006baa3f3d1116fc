"""offline scans: door scans made offline, uploaded once each (#19)

Revision ID: 0ff11e5ca7a1
Revises: 12590d2a8f3b
Create Date: 2026-12-04 01:00:00

"""

import sqlalchemy as sa
from alembic import op

import eventapp.models.base

# revision identifiers, used by Alembic.
revision = "0ff11e5ca7a1"
down_revision = '12590d2a8f3b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "offline_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("device", sa.String(length=120), nullable=True),
        sa.Column("scanned_at", eventapp.models.base.UTCDateTime(), nullable=False),
        sa.Column("received_at", eventapp.models.base.UTCDateTime(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_scans")),
        sa.UniqueConstraint("uuid", name=op.f("uq_offline_scans_uuid")),
    )


def downgrade():
    op.drop_table("offline_scans")
