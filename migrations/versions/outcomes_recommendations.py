"""outcomes: session outcomes, recommendations, owners, rapporteurs

Per session: key points and numbered recommendations with their owners (government
organizations), makers, tags and follow-up; rapporteur accounts (a new role) assigned to an
event or a session (#18).

Revision ID: cb23b99db31b
Revises: 7c1e5a2d9b40
Create Date: 2026-12-03 23:46:59.169678

"""
import sqlalchemy as sa
from alembic import op

import eventapp.models.base

# revision identifiers, used by Alembic.
revision = 'cb23b99db31b'
down_revision = '7c1e5a2d9b40'
branch_labels = None
depends_on = None

_ROLES_BEFORE = ("admin", "organizer", "checkin")
_ROLES_AFTER = (*_ROLES_BEFORE, "rapporteur")


def _role_type(values):
    return sa.Enum(*values, name="role", native_enum=False, create_constraint=True, length=24)


def _change_roles(old, new):
    # Alembic drops the CHECK constraint of `existing_type` and creates the new type's
    # (SQLite rebuilds the table in batch mode).
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.alter_column(
            "role", existing_type=_role_type(old), type_=_role_type(new), existing_nullable=False
        )


def upgrade():
    _change_roles(_ROLES_BEFORE, _ROLES_AFTER)
    op.create_table('rapporteur_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('added_at', eventapp.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_rapporteur_assignments_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_rapporteur_assignments_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['agenda_sessions.id'], name=op.f('fk_rapporteur_assignments_session_id_agenda_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rapporteur_assignments')),
    sa.UniqueConstraint('account_id', 'event_id', 'session_id', name='uq_rapporteur_assignments')
    )
    with op.batch_alter_table('rapporteur_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rapporteur_assignments_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rapporteur_assignments_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rapporteur_assignments_session_id'), ['session_id'], unique=False)

    op.create_table('session_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('key_points', sa.Text(), nullable=False),
    sa.Column('key_points_ko', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='outcomestatus', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('updated_at', eventapp.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['agenda_sessions.id'], name=op.f('fk_session_outcomes_session_id_agenda_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_outcomes')),
    sa.UniqueConstraint('session_id', name=op.f('uq_session_outcomes_session_id'))
    )
    op.create_table('recommendations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('text_ko', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='outcomestatus', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('follow_up', sa.Enum('open', 'in_progress', 'done', 'dropped', name='followup', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', eventapp.models.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', eventapp.models.base.UTCDateTime(), nullable=False),
    sa.CheckConstraint("text_en <> '' OR text_ko <> ''", name=op.f('ck_recommendations_has_text')),
    sa.ForeignKeyConstraint(['outcome_id'], ['session_outcomes.id'], name=op.f('fk_recommendations_outcome_id_session_outcomes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendations')),
    sa.UniqueConstraint('outcome_id', 'number', name='uq_recommendations_number')
    )
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendations_outcome_id'), ['outcome_id'], unique=False)

    op.create_table('recommendation_organizations',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_recommendation_organizations_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_organizations_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', 'organization_id', name=op.f('pk_recommendation_organizations'))
    )
    with op.batch_alter_table('recommendation_organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_organizations_organization_id'), ['organization_id'], unique=False)

    op.create_table('recommendation_owners',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_recommendation_owners_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_owners_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', 'organization_id', name=op.f('pk_recommendation_owners'))
    )
    with op.batch_alter_table('recommendation_owners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_owners_organization_id'), ['organization_id'], unique=False)

    op.create_table('recommendation_speakers',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_speakers_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['speaker_id'], ['speakers.id'], name=op.f('fk_recommendation_speakers_speaker_id_speakers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', 'speaker_id', name=op.f('pk_recommendation_speakers'))
    )
    with op.batch_alter_table('recommendation_speakers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_speakers_speaker_id'), ['speaker_id'], unique=False)

    op.create_table('recommendation_tags',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_tags_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', 'name', name=op.f('pk_recommendation_tags'))
    )
    with op.batch_alter_table('recommendation_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_tags_name'), ['name'], unique=False)



def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('recommendation_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_tags_name'))

    op.drop_table('recommendation_tags')
    with op.batch_alter_table('recommendation_speakers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_speakers_speaker_id'))

    op.drop_table('recommendation_speakers')
    with op.batch_alter_table('recommendation_owners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_owners_organization_id'))

    op.drop_table('recommendation_owners')
    with op.batch_alter_table('recommendation_organizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_organizations_organization_id'))

    op.drop_table('recommendation_organizations')
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendations_outcome_id'))

    op.drop_table('recommendations')
    op.drop_table('session_outcomes')
    with op.batch_alter_table('rapporteur_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rapporteur_assignments_session_id'))
        batch_op.drop_index(batch_op.f('ix_rapporteur_assignments_event_id'))
        batch_op.drop_index(batch_op.f('ix_rapporteur_assignments_account_id'))

    op.drop_table('rapporteur_assignments')
    op.execute("DELETE FROM accounts WHERE role = 'rapporteur'")
    _change_roles(_ROLES_AFTER, _ROLES_BEFORE)
