"""Ranking speed (issue 11): a team's members by index, so asking which nearby teams have a doctor, and reading
an offer's members, no longer scans the whole member table.

Revision ID: 0011
Revises: 0010
"""
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_member_team_id", "member", ["team_id"])


def downgrade():
    op.drop_index("ix_member_team_id", table_name="member")
