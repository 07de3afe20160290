"""Data generation counter for the rendered-page cache (issue 8)

Revision ID: 0014_data_generation
Revises: 0013_merge_finish
Create Date: 2026-11-23 17:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_data_generation'
down_revision = '0013_merge_finish'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'data_generation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        comment='Incremented by every transaction that changes data (page-cache invalidation).',
    )
    op.bulk_insert(table, [{'id': 1, 'value': 0}])


def downgrade():
    op.drop_table('data_generation')
