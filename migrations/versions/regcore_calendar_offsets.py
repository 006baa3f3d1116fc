"""calendar offsets: attendees' own CANCELs raise their SEQUENCE

An attendee's CANCEL (registration cancelled, seat given up) must go out with a SEQUENCE
above their last REQUEST without raising the entry's revision for everyone (#22).

Revision ID: 7c3e9a1b5d20
Revises: f1a2c3d4e5f6
Create Date: 2026-12-03 10:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c3e9a1b5d20"
down_revision = "f1a2c3d4e5f6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_offsets",
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("sequence_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_calendar_offsets_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("registration_id", "uid", name=op.f("pk_calendar_offsets")),
    )


def downgrade():
    op.drop_table("calendar_offsets")
