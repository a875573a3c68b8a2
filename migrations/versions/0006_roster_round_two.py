"""Roster, second round: Mongolian names, who is on a shift, member kinds, what people are texted in, the market
regulator, Mongolian in Cyrillic beside the traditional script; the register's contacts; daily tasks that ran.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import models.base

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

LANGUAGES = ("mn", "mn_cyrl", "zh")


def _language():
    """The existing `language` type (PostgreSQL), or a plain string column elsewhere."""
    if op.get_bind().dialect.name == "postgresql":
        return postgresql.ENUM(*LANGUAGES, name="language", create_type=False)
    return sa.Enum(*LANGUAGES, name="language")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # A new enum value cannot be used in the transaction that adds it: add each on its own.
        with op.get_context().autocommit_block():
            op.execute("ALTER TYPE language ADD VALUE IF NOT EXISTS 'mn_cyrl'")
            op.execute("ALTER TYPE leaderrole ADD VALUE IF NOT EXISTS 'market_regulator'")
    op.create_table(
        "daily_run",
        sa.Column("task", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("task", "day", name=op.f("pk_daily_run")),
    )
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.Enum("visit", "call", "sms", "request", name="contactchannel"), nullable=False),
        sa.Column("outcome", sa.Enum("well", "needs_help", "not_reached", name="contactoutcome"), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"], name=op.f("fk_contact_household_id_household")),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_contact_member_id_member")),
        sa.ForeignKeyConstraint(["request_id"], ["request.id"], name=op.f("fk_contact_request_id_request")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_household_id"), ["household_id"], unique=False)
    op.create_table(
        "duty_shift_member",
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_duty_shift_member_member_id_member"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["shift_id"], ["duty_shift.id"],
                                name=op.f("fk_duty_shift_member_shift_id_duty_shift"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("shift_id", "member_id", name=op.f("pk_duty_shift_member")),
    )
    for table in ("household", "leader", "member"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("sms_language", _language(), nullable=True))
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_name", sa.String(length=100), nullable=True))
    kinds = sa.Enum("cadre", "grid_worker", "party_member", "first_secretary", "doctor", "volunteer", name="memberkind")
    kinds.create(op.get_bind(), checkfirst=True)  # add_column does not create a new enum type by itself
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", postgresql.ENUM(name="memberkind", create_type=False)
                                      if op.get_bind().dialect.name == "postgresql" else kinds, nullable=True))
    for table in ("place", "team"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("name_mn", sa.String(length=200), nullable=True))


def downgrade():
    for table in ("team", "place"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("name_mn")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_column("contact_name")
    for table in ("member", "leader", "household"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("sms_language")
    op.drop_table("duty_shift_member")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_household_id"))
    op.drop_table("contact")
    op.drop_table("daily_run")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TYPE IF EXISTS memberkind")
        op.execute("DROP TYPE IF EXISTS contactchannel")
        op.execute("DROP TYPE IF EXISTS contactoutcome")
        # Cyrillic Mongolian speakers become Mongolian; market regulators become gacha secretaries of their place.
        for table in ("household", "leader", "member", "request", "call"):
            op.execute(f"UPDATE {table} SET language = 'mn' WHERE language = 'mn_cyrl'")
        op.execute("UPDATE leader SET role = 'gacha_secretary' WHERE role = 'market_regulator'")
