"""merge the second round of module branches into one head

Revision ID: 0013_merge_finish
Revises: 0009_wg_documents, 0010_owes_finish, 0011_surveys_finish, 0012_export_jobs
"""

revision = "0013_merge_finish"
down_revision = ("0009_wg_documents", "0010_owes_finish", "0011_surveys_finish", "0012_export_jobs")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
