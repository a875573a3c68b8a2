"""Voice hotline: calls, gacha card numbers, voice messages kept with requests.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STEPS = ("language", "gacha", "menu", "recording", "dialing", "done", "missed", "pending", "placed", "reading",
         "failed")


def upgrade():
    op.create_table(
        "call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("inbound", "offer", name="callkind"), nullable=False),
        sa.Column("call_sid", sa.String(length=64), nullable=True),
        sa.Column("key", sa.String(length=200), nullable=True),
        sa.Column("from_phone", sa.String(length=64), nullable=False),
        sa.Column("to_phone", sa.String(length=64), nullable=False),
        # 0001's type: on PostgreSQL it exists already and must not be created again.
        sa.Column("language", postgresql.ENUM("mn", "zh", name="language", create_type=False), nullable=True),
        sa.Column("gacha", sa.String(length=12), nullable=True),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("step", sa.Enum(*STEPS, name="callstep"), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("keys", sa.String(length=200), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("dialed_phone", sa.String(length=64), nullable=True),
        sa.Column("dial_status", sa.String(length=20), nullable=True),
        sa.Column("provider_status", sa.String(length=20), nullable=False),
        sa.Column("error", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_call_member_id_member")),
        sa.ForeignKeyConstraint(["offer_id"], ["offer.id"], name=op.f("fk_call_offer_id_offer")),
        sa.ForeignKeyConstraint(["place_id"], ["place.id"], name=op.f("fk_call_place_id_place")),
        sa.ForeignKeyConstraint(["request_id"], ["request.id"], name=op.f("fk_call_request_id_request")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call")),
        sa.UniqueConstraint("call_sid", name=op.f("uq_call_call_sid")),
        sa.UniqueConstraint("key", name=op.f("uq_call_key")),
    )
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_from_phone"), ["from_phone"], unique=False)
        batch_op.create_index(batch_op.f("ix_call_offer_id"), ["offer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_call_request_id"), ["request_id"], unique=False)

    with op.batch_alter_table("place", schema=None) as batch_op:
        batch_op.add_column(sa.Column("short_number", sa.String(length=8), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_place_short_number"), ["short_number"])

    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recording_url", sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.drop_column("recording_url")

    with op.batch_alter_table("place", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_place_short_number"), type_="unique")
        batch_op.drop_column("short_number")

    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_request_id"))
        batch_op.drop_index(batch_op.f("ix_call_offer_id"))
        batch_op.drop_index(batch_op.f("ix_call_from_phone"))

    op.drop_table("call")
    # The language type is 0001's; only this revision's own enum types go.
    for name in ("callkind", "callstep"):
        sa.Enum(name=name).drop(op.get_bind(), checkfirst=True)
