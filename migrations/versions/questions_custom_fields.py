"""questions organizers add to the registration form, and the registrants' answers

Per event, organizers define questions (#17): short or long text, one or several
choices, yes/no, date, country, whole number with bounds; bilingual, optionally asked
of some categories only. Answers are stored per registration; choices by stable keys.
`events.has_questions` spares the form of an event without questions any query.

Revision ID: questions_custom_fields
Revises: admission_approval_mode
Create Date: 2026-12-05 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "questions_custom_fields"
down_revision = "admission_approval_mode"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("has_questions", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "short_text",
                "long_text",
                "one_choice",
                "several_choices",
                "yes_no",
                "date",
                "country",
                "number",
                name="questionkind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("label_ko", sa.String(length=300), nullable=True),
        sa.Column("help", sa.Text(), nullable=True),
        sa.Column("help_ko", sa.Text(), nullable=True),
        sa.Column("is_required", sa.Boolean(), nullable=False),
        sa.Column("categories", sa.String(length=200), nullable=False),
        sa.Column("min_value", sa.Integer(), nullable=True),
        sa.Column("max_value", sa.Integer(), nullable=True),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("choice_serial", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "min_value IS NULL OR max_value IS NULL OR min_value <= max_value",
            name=op.f("ck_questions_bounds_order"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_questions_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
    )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questions_event_id"), ["event_id"], unique=False)
    op.create_table(
        "registration_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("choice_text", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"], ["questions.id"],
            name=op.f("fk_registration_answers_question_id_questions"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"], ["registrations.id"],
            name=op.f("fk_registration_answers_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_answers")),
        sa.UniqueConstraint(
            "registration_id", "question_id",
            name=op.f("uq_registration_answers_registration_id_question_id"),
        ),
    )
    with op.batch_alter_table("registration_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_answers_question_id"), ["question_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_registration_answers_registration_id"), ["registration_id"],
            unique=False,
        )


def downgrade():
    op.drop_table("registration_answers")
    op.drop_table("questions")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("has_questions")
