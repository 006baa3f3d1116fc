"""invitation-only events, invitations and delegations

Events may be invitation only (#17): the form opens only through an invitation's
personal link. Invitations keep what became of each (sent, opened, registered,
declined, revoked); delegations group members under a head, with at most `seats` of
them holding a place. Registrations say which delegation they belong to.

Revision ID: invitations_delegations
Revises: partnering_scheduler_runs
Create Date: 2026-12-04 02:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "invitations_delegations"
down_revision = "partnering_scheduler_runs"
branch_labels = None
depends_on = None

_MODES_OLD = ("open", "approval")
_MODES_NEW = _MODES_OLD + ("invitation",)
_CATEGORIES = ("government", "industry", "academia", "press", "speaker", "staff", "other")


def _mode_check(values):
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_events_admissionmode"), type_="check")
        listed = ", ".join(f"'{value}'" for value in values)
        batch_op.create_check_constraint("admissionmode", f"admission_mode IN ({listed})")


def upgrade():
    _mode_check(_MODES_NEW)
    op.create_table(
        "delegations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=True),
        sa.Column("head_given_name", sa.String(length=100), nullable=False),
        sa.Column("head_family_name", sa.String(length=100), nullable=False),
        sa.Column("head_email", sa.String(length=254), nullable=False),
        sa.Column("head_token", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "seats IS NULL OR seats >= 0", name=op.f("ck_delegations_seats_positive")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"],
            name=op.f("fk_delegations_event_id_events"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegations")),
        sa.UniqueConstraint("event_id", "name", name=op.f("uq_delegations_event_id_name")),
        sa.UniqueConstraint("head_token", name=op.f("uq_delegations_head_token")),
    )
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("organization_name", sa.String(length=200), nullable=True),
        sa.Column(
            "category",
            sa.Enum(*_CATEGORIES, name="category", native_enum=False,
                    create_constraint=True, length=24),
            nullable=False,
        ),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("sent_count", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("declined_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["delegation_id"], ["delegations.id"],
            name=op.f("fk_invitations_delegation_id_delegations"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"],
            name=op.f("fk_invitations_event_id_events"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"], ["registrations.id"],
            name=op.f("fk_invitations_registration_id_registrations"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("event_id", "email", name=op.f("uq_invitations_event_id_email")),
        sa.UniqueConstraint("registration_id", name=op.f("uq_invitations_registration_id")),
        sa.UniqueConstraint("token", name=op.f("uq_invitations_token")),
    )
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invitations_delegation_id"), ["delegation_id"], unique=False
        )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("delegation_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_registrations_delegation_id"), ["delegation_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_registrations_delegation_id_delegations"),
            "delegations", ["delegation_id"], ["id"], ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_registrations_delegation_id_delegations"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_registrations_delegation_id"))
        batch_op.drop_column("delegation_id")
    op.drop_table("invitations")
    op.drop_table("delegations")
    op.execute("UPDATE events SET admission_mode = 'approval' WHERE admission_mode = 'invitation'")
    _mode_check(_MODES_OLD)
