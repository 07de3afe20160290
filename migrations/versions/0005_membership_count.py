"""People per role in each region, kept by triggers on ``membership`` (the national overview
reads them instead of counting every membership of the country).

Revision ID: 0005_membership_count
Revises: 0004_survey_dimension_score
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005_membership_count'
down_revision = '0004_survey_dimension_score'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('membership_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_membership_count_tenant_id_tenant'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_count')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_membership_count_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'role', name='uq_membership_count_role')
    )
    with op.batch_alter_table('membership_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_count_tenant_id'), ['tenant_id'], unique=False)
    from coordination.auth.counts import install

    install(op.get_bind())  # the triggers, and the counts of the memberships stored so far


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS membership_count_keep ON membership')
        op.execute('DROP FUNCTION IF EXISTS membership_count_keep()')
    else:
        for name in ('insert', 'delete', 'update'):
            op.execute(f'DROP TRIGGER IF EXISTS membership_count_{name}')
    with op.batch_alter_table('membership_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_count_tenant_id'))
    op.drop_table('membership_count')
