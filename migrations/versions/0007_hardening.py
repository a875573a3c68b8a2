"""Hardening: sessions end at sign-out, codes belong to the browser that asked, lock-outs are counted,
every caller id fits, leaders can be called, requests from callers who cannot be called back are marked.

Revision ID: 0007
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # A new enum value cannot be used in the transaction that adds it: add it on its own.
        with op.get_context().autocommit_block():
            op.execute("ALTER TYPE callkind ADD VALUE IF NOT EXISTS 'leader'")
            op.execute("ALTER TYPE callstep ADD VALUE IF NOT EXISTS 'confirmed'")
    # On SQLite the kind and step are VARCHARs without a CHECK constraint: the new values need no change.
    with op.batch_alter_table("leader") as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("lockouts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("last_lockout_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("leader") as batch_op:
        batch_op.alter_column("session_version", server_default=None)
        batch_op.alter_column("lockouts", server_default=None)
    with op.batch_alter_table("login_code") as batch_op:
        batch_op.add_column(sa.Column("requester", sa.String(length=64), nullable=True))
    with op.batch_alter_table("request") as batch_op:
        batch_op.alter_column("caller_phone", type_=sa.String(length=64), existing_type=sa.String(length=32),
                              existing_nullable=False)
        batch_op.add_column(sa.Column("withheld", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("request") as batch_op:
        batch_op.alter_column("withheld", server_default=None)
    with op.batch_alter_table("call") as batch_op:
        batch_op.add_column(sa.Column("leader_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_call_leader_id_leader", "leader", ["leader_id"], ["id"])


def downgrade():
    # Calls to leaders go first; PostgreSQL keeps the enum values (it cannot drop one), which older code never uses.
    op.execute("DELETE FROM call WHERE kind = 'leader'")
    with op.batch_alter_table("call") as batch_op:
        batch_op.drop_constraint("fk_call_leader_id_leader", type_="foreignkey")
        batch_op.drop_column("leader_id")
    # Caller ids longer than 32 characters are cut to fit the older column; the raw form keeps the whole one.
    op.execute("UPDATE request SET caller_phone = substr(caller_phone, 1, 32) WHERE length(caller_phone) > 32")
    with op.batch_alter_table("request") as batch_op:
        batch_op.drop_column("withheld")
        batch_op.alter_column("caller_phone", type_=sa.String(length=32), existing_type=sa.String(length=64),
                              existing_nullable=False)
    with op.batch_alter_table("login_code") as batch_op:
        batch_op.drop_column("requester")
    with op.batch_alter_table("leader") as batch_op:
        batch_op.drop_column("last_lockout_at")
        batch_op.drop_column("lockouts")
        batch_op.drop_column("session_version")
