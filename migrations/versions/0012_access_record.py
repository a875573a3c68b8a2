"""The access record (issue 12): every contact-card download and ledger export, with who and when, since the
register holds sensitive personal information.

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "access_record",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("leader_id", sa.Integer(), sa.ForeignKey("leader.id", name="fk_access_record_leader_id_leader"),
                  nullable=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("what", sa.String(60), nullable=False),
        sa.Column("place_id", sa.Integer(), sa.ForeignKey("place.id", name="fk_access_record_place_id_place"),
                  nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_access_record"),
    )
    op.create_index("ix_access_record_at", "access_record", ["at"])


def downgrade():
    op.drop_index("ix_access_record_at", table_name="access_record")
    op.drop_table("access_record")
