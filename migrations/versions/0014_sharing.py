"""Neighbour medicine sharing (haves, needs, a place's reserve, their matches) and requests' sub-categories.

Revision ID: 0014
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import models.base

revision = "0014"
down_revision = "0006"
branch_labels = None
depends_on = None


def _language():
    """The existing `language` type (PostgreSQL), or a plain string column elsewhere."""
    if op.get_bind().dialect.name == "postgresql":
        return postgresql.ENUM(name="language", create_type=False)
    return sa.Enum("mn", "mn_cyrl", "zh", name="language")


def upgrade():
    op.create_table(
        "share_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=6), nullable=False),
        sa.Column("kind", sa.Enum("have", "need", name="sharekind"), nullable=False),
        sa.Column("item", sa.String(length=20), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("language", _language(), nullable=False),
        sa.Column("reserve", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"], name=op.f("fk_share_post_household_id_household")),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_share_post_member_id_member")),
        sa.ForeignKeyConstraint(["place_id"], ["place.id"], name=op.f("fk_share_post_place_id_place")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_post")),
        sa.UniqueConstraint("ref", name=op.f("uq_share_post_ref")),
    )
    with op.batch_alter_table("share_post", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_share_post_item"), ["item"], unique=False)
        batch_op.create_index(batch_op.f("ix_share_post_phone"), ["phone"], unique=False)
        batch_op.create_index(batch_op.f("ix_share_post_place_id"), ["place_id"], unique=False)
        batch_op.create_index("uq_share_post_reserve", ["place_id", "item"], unique=True,
                              postgresql_where=sa.text("reserve"), sqlite_where=sa.text("reserve"))
    op.create_table(
        "share_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("have_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["have_id"], ["share_post.id"], name=op.f("fk_share_match_have_id_share_post")),
        sa.ForeignKeyConstraint(["need_id"], ["share_post.id"], name=op.f("fk_share_match_need_id_share_post")),
        sa.ForeignKeyConstraint(["request_id"], ["request.id"], name=op.f("fk_share_match_request_id_request")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_match")),
        sa.UniqueConstraint("request_id", name=op.f("uq_share_match_request_id")),
    )
    with op.batch_alter_table("share_match", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_share_match_have_id"), ["have_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_share_match_need_id"), ["need_id"], unique=False)
    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subcategory", sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f("ix_request_subcategory"), ["subcategory"], unique=False)


def downgrade():
    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_subcategory"))
        batch_op.drop_column("subcategory")
    op.drop_table("share_match")
    op.drop_table("share_post")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TYPE IF EXISTS sharekind")
