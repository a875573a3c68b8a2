"""Leaders' dashboard: sign-in codes, passwords, notes (filled in by the dashboard work).

Revision ID: 0003
Revises: 0002
"""
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
