"""Stored dimension scores of closed survey campaigns (the national comparison reads them
instead of summing every tally of a year).

Revision ID: 0004_survey_dimension_score
Revises: 0003_user_name_index
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004_survey_dimension_score'
down_revision = '0003_user_name_index'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_dimension_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=10), nullable=False),
    sa.Column('total', sa.Float(), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.Column('responses', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'campaign_id'], ['survey_campaign.tenant_id', 'survey_campaign.id'], name=op.f('fk_survey_dimension_score_tenant_id_campaign_id_survey_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_survey_dimension_score_tenant_id_tenant'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_dimension_score')),
    sa.UniqueConstraint('tenant_id', 'campaign_id', 'dimension', name='uq_survey_dimension_score_key'),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_survey_dimension_score_tenant_id_id'))
    )
    with op.batch_alter_table('survey_dimension_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_dimension_score_tenant_id'), ['tenant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_dimension_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_dimension_score_tenant_id'))
    op.drop_table('survey_dimension_score')
