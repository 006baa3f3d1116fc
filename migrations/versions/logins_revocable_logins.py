"""accounts: revocable logins, optional two-factor login

Every session and remember-me cookie carries the account's session version; logout, a
password change and deactivation raise it, which ends them all (#15). Staff may enrol a
TOTP secret; the last accepted step stops a code from being used twice.

Revision ID: 5e55a9e1091a
Revises: c4e1d2a3b5f7
Create Date: 2026-12-03 10:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e55a9e1091a"
down_revision = "c4e1d2a3b5f7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_secret")
        batch_op.drop_column("session_version")
