"""Index on account names (the users list of a region reads one page in name order).

Revision ID: 0003_user_name_index
Revises: 0002_member_title_form
Create Date: 2026-12-04
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0003_user_name_index'
down_revision = '0002_member_title_form'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index('ix_user_account_full_name_id', ['full_name', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index('ix_user_account_full_name_id')
