"""name order: people choose how their Latin-script name is written (#22)

Registrants and speakers gain `name_order`: given name first (as before, the value every
existing row keeps) or family name first ("Lee Jong-ho", as Korean government English
writes it).

Revision ID: names_name_order
Revises: questions_custom_fields
Create Date: 2026-12-05 10:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "names_name_order"
down_revision = "questions_custom_fields"
branch_labels = None
depends_on = None

_TABLES = ("registrations", "speakers")


def upgrade():
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "name_order",
                    sa.Enum(
                        "given_first",
                        "family_first",
                        name="nameorder",
                        native_enum=False,
                        create_constraint=True,
                        length=24,
                    ),
                    server_default="given_first",
                    nullable=False,
                )
            )


def downgrade():
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_nameorder"), type_="check")
            batch_op.drop_column("name_order")
