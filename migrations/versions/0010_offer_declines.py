"""Declines per member: one member's "no" withdraws that member, not the whole team's offer.

Revision ID: 0010
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "offer_decline",
        sa.Column("offer_id", sa.Integer(), sa.ForeignKey("offer.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False, server_default=""),
    )


def downgrade():
    op.drop_table("offer_decline")
