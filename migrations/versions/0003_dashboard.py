"""Leaders' dashboard: sign-in codes, passwords, the admin role.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # A new enum value cannot be used in the transaction that adds it: add it on its own.
        with op.get_context().autocommit_block():
            op.execute("ALTER TYPE leaderrole ADD VALUE IF NOT EXISTS 'admin'")
    # On SQLite the role is a VARCHAR(15) without a CHECK constraint: 'admin' needs no change.
    with op.batch_alter_table("leader", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_hash", sa.String(length=255), nullable=True))
    op.create_table(
        "login_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["leader_id"], ["leader.id"], name=op.f("fk_login_code_leader_id_leader")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_code")),
    )
    with op.batch_alter_table("login_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_code_leader_id"), ["leader_id"], unique=False)


def downgrade():
    with op.batch_alter_table("login_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_code_leader_id"))
    op.drop_table("login_code")
    with op.batch_alter_table("leader", schema=None) as batch_op:
        batch_op.drop_column("password_hash")
    # Admins become township leaders: the older schema has no admin, and deleting roster rows would lose people.
    op.execute("UPDATE leader SET role = 'township_leader' WHERE role = 'admin'")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TYPE leaderrole RENAME TO leaderrole_old")
        op.execute("CREATE TYPE leaderrole AS ENUM ('gacha_secretary', 'township_leader')")
        op.execute("ALTER TABLE leader ALTER COLUMN role TYPE leaderrole USING role::text::leaderrole")
        op.execute("DROP TYPE leaderrole_old")
