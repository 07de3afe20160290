"""owes finish: evidence file attached to a reported value

Revision ID: 0010_owes_finish
Revises: 0008_merge_modules
Create Date: 2026-11-23 13:41:13.632289

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_owes_finish'
down_revision = '0008_merge_modules'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('owes_value', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence_filename', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('evidence_content_type', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('evidence_size', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('evidence_data', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('owes_value', schema=None) as batch_op:
        batch_op.drop_column('evidence_data')
        batch_op.drop_column('evidence_size')
        batch_op.drop_column('evidence_content_type')
        batch_op.drop_column('evidence_filename')
