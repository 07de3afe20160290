"""Group members: the grammatical form of their role titles ("f", "m" or "" for neutral
wording), set by the coordinator.

Revision ID: 0002_member_title_form
Revises: 0001_baseline
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_member_title_form'
down_revision = '0001_baseline'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_form', sa.String(length=1), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.drop_column('title_form')
