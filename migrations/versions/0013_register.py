"""The register's weekly round (issue 12): each paired member's numbered list, the hotline's own check-ins
(calls and SMS, tried twice), and when a household overdue twice in a row was reported to the township leader.

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import models.base

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _channel():
    """The existing `contactchannel` type (PostgreSQL), or a plain string column elsewhere."""
    if op.get_bind().dialect.name == "postgresql":
        return postgresql.ENUM(name="contactchannel", create_type=False)
    return sa.Enum("visit", "call", "sms", "request", name="contactchannel")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # A new enum value cannot be used in the transaction that adds it: add it on its own.
        with op.get_context().autocommit_block():
            op.execute("ALTER TYPE callkind ADD VALUE IF NOT EXISTS 'checkin'")
    op.create_table(
        "checkin_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("listed_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"],
                                name=op.f("fk_checkin_item_household_id_household")),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_checkin_item_member_id_member")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_item")),
        sa.UniqueConstraint("member_id", "day", "number", name=op.f("uq_checkin_item_member_id")),
    )
    with op.batch_alter_table("checkin_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkin_item_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_checkin_item_member_id"), ["member_id"], unique=False)
    op.create_table(
        "checkin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", _channel(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("status", sa.Enum("waiting", "answered", "given_up", name="checkinstatus"), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("last_try_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"], name=op.f("fk_checkin_household_id_household")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin")),
        sa.UniqueConstraint("household_id", "day", name=op.f("uq_checkin_household_id")),
    )
    with op.batch_alter_table("checkin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkin_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_checkin_status"), ["status"], unique=False)
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checkin_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_call_checkin_id_checkin", "checkin", ["checkin_id"], ["id"])
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.add_column(sa.Column("overdue_told_at", models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_column("overdue_told_at")
    # Check-in calls go first; PostgreSQL keeps the enum value (it cannot drop one), which older code never uses.
    op.execute("DELETE FROM call WHERE kind = 'checkin'")
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_constraint("fk_call_checkin_id_checkin", type_="foreignkey")
        batch_op.drop_column("checkin_id")
    op.drop_table("checkin")
    op.drop_table("checkin_item")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TYPE IF EXISTS checkinstatus")
