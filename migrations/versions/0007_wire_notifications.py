"""wire notifications: per-meeting reminders, per-campaign automatic reminders

Revision ID: 0007_wire_notifications
Revises: 0002_workgroups, 0003_surveys
Create Date: 2026-11-23 12:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_wire_notifications'
down_revision = ('0002_workgroups', '0003_surveys')
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_days', sa.String(length=20), server_default='7,1', nullable=False))
    with op.batch_alter_table('survey_campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_count', sa.Integer(), server_default='2', nullable=False))
        batch_op.add_column(sa.Column('reminder_spacing_days', sa.Integer(), server_default='7', nullable=False))


def downgrade():
    with op.batch_alter_table('survey_campaign', schema=None) as batch_op:
        batch_op.drop_column('reminder_spacing_days')
        batch_op.drop_column('reminder_count')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_column('reminder_days')
