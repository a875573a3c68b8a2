"""Wrong passwords in a row lock password sign-in for a while.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("leader") as batch_op:
        batch_op.add_column(sa.Column("password_failures", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("password_locked_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("leader") as batch_op:
        batch_op.alter_column("password_failures", server_default=None)


def downgrade():
    with op.batch_alter_table("leader") as batch_op:
        batch_op.drop_column("password_locked_until")
        batch_op.drop_column("password_failures")
