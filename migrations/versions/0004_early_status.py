"""Status callbacks that arrive before the message's provider id is recorded are kept, not dropped.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("message_status_event") as batch_op:
        batch_op.add_column(sa.Column("provider_sid", sa.String(length=64), nullable=True))
        batch_op.alter_column("message_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f("ix_message_status_event_provider_sid"), ["provider_sid"], unique=False)


def downgrade():
    op.execute("DELETE FROM message_status_event WHERE message_id IS NULL")
    with op.batch_alter_table("message_status_event") as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_status_event_provider_sid"))
        batch_op.alter_column("message_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("provider_sid")
