"""partnering: meeting requests addressed to an organization

A participant may ask an organization (any of its delegates) for a meeting, not only one
person (#16): `partnering_requests.recipient_organization_id` names it; every delegate is
told and the one who answers becomes the request's recipient.

Revision ID: partnering_organization_requests
Revises: names_name_order
Create Date: 2026-12-05 10:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "partnering_organization_requests"
down_revision = "names_name_order"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("partnering_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recipient_organization_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_partnering_requests_recipient_organization_id"),
            ["recipient_organization_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_partnering_requests_recipient_organization_id_organizations"),
            "organizations",
            ["recipient_organization_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    with op.batch_alter_table("partnering_requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_partnering_requests_recipient_organization_id_organizations"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_partnering_requests_recipient_organization_id"))
        batch_op.drop_column("recipient_organization_id")
