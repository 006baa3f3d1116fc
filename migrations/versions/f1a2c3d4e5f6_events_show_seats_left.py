"""events may show the seats left

Organizers choose whether the public pages say how many seats are left or only whether
registration is open or full (#22): off for existing events, as before.

Revision ID: f1a2c3d4e5f6
Revises: b43aa5210941
Create Date: 2026-12-03 08:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f1a2c3d4e5f6"
down_revision = "b43aa5210941"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("show_seats_left", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("show_seats_left")
