"""merge the module branches into one head

Revision ID: 0008_merge_modules
Revises: 0004_owes, 0005_national, 0006_notifications, 0007_wire_notifications
"""

revision = "0008_merge_modules"
down_revision = ("0004_owes", "0005_national", "0006_notifications", "0007_wire_notifications")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
