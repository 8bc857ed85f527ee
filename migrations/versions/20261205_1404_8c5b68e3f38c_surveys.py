"""Surveys and quick polls (surveys, survey_sections, survey_questions): the answers without
identity (survey_responses: a keyed hash per respondent, the contact only when the survey keeps
it, encrypted; survey_answers: one row per value).

Revision ID: 8c5b68e3f38c
Revises: 5a7c3e91d2b4
Create Date: 2026-12-05 14:04:02.255728

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c5b68e3f38c'
down_revision = "5a7c3e91d2b4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('intro_en', sa.Text(), nullable=False),
    sa.Column('access', sa.String(length=10), nullable=False),
    sa.Column('keeps_contact', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('results_public', sa.Boolean(), nullable=False),
    sa.Column('on_home', sa.Boolean(), nullable=False),
    sa.Column('template', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_surveys_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys'))
    )
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveys_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_surveys_tenant_id_status', ['tenant_id', 'status'], unique=False)

    op.create_table('survey_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('respondent_hash', sa.String(length=64), nullable=False),
    sa.Column('contact_sealed', sa.String(length=400), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_responses_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_survey_responses_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
    sa.UniqueConstraint('tenant_id', 'survey_id', 'respondent_hash', name=op.f('uq_survey_responses_tenant_id_survey_id_respondent_hash'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_survey_id'), ['survey_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_responses_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('survey_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_sections_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_survey_sections_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_sections'))
    )
    with op.batch_alter_table('survey_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_sections_survey_id'), ['survey_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_sections_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('survey_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('text_en', sa.String(length=500), nullable=False),
    sa.Column('help', sa.String(length=500), nullable=False),
    sa.Column('help_en', sa.String(length=500), nullable=False),
    sa.Column('is_required', sa.Boolean(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('scale_min', sa.Integer(), nullable=False),
    sa.Column('scale_max', sa.Integer(), nullable=False),
    sa.Column('low_label', sa.String(length=100), nullable=False),
    sa.Column('low_label_en', sa.String(length=100), nullable=False),
    sa.Column('high_label', sa.String(length=100), nullable=False),
    sa.Column('high_label_en', sa.String(length=100), nullable=False),
    sa.Column('condition_question_id', sa.Integer(), nullable=True),
    sa.Column('condition_values', sa.JSON(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['condition_question_id'], ['survey_questions.id'], name=op.f('fk_survey_questions_condition_question_id_survey_questions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['section_id'], ['survey_sections.id'], name=op.f('fk_survey_questions_section_id_survey_sections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_questions_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_survey_questions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_questions'))
    )
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_questions_section_id'), ['section_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_questions_survey_id'), ['survey_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_questions_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('survey_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('number', sa.Float(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'], name=op.f('fk_survey_answers_question_id_survey_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['survey_responses.id'], name=op.f('fk_survey_answers_response_id_survey_responses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_survey_answers_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers'))
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index('ix_survey_answers_question_id', ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answers_response_id'), ['response_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answers_tenant_id'), ['tenant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answers_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_survey_answers_response_id'))
        batch_op.drop_index('ix_survey_answers_question_id')

    op.drop_table('survey_answers')
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_questions_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_survey_questions_survey_id'))
        batch_op.drop_index(batch_op.f('ix_survey_questions_section_id'))

    op.drop_table('survey_questions')
    with op.batch_alter_table('survey_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_sections_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_survey_sections_survey_id'))

    op.drop_table('survey_sections')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_survey_responses_survey_id'))

    op.drop_table('survey_responses')
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_index('ix_surveys_tenant_id_status')
        batch_op.drop_index(batch_op.f('ix_surveys_tenant_id'))

    op.drop_table('surveys')
