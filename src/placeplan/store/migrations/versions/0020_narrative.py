"""A plan's narrative blocks and their versions, UEC priorities linked to schemes, house styles

Revision ID: 0020
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from placeplan.store.base import UTCDateTime

revision = "0020"
down_revision = "0015"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _id(table: str) -> list[Any]:
    return [
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _plan(table: str) -> list[Any]:
    return [
        sa.Column("plan_id", BIG_ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f(f"fk_{table}_plan_id_plans"), ondelete="CASCADE"
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "narrative_blocks",
        *_id("narrative_blocks"),
        *_plan("narrative_blocks"),
        sa.Column("heading", sa.String(40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("plan_id", "heading", name=op.f("uq_narrative_blocks_plan_id")),
    )
    op.create_index(op.f("ix_narrative_blocks_plan_id"), "narrative_blocks", ["plan_id"])
    op.create_table(
        "narrative_versions",
        *_id("narrative_versions"),
        *_plan("narrative_versions"),
        sa.Column("block_id", BIG_ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("note", sa.String(300), nullable=True),
        sa.Column("saved_at", UTCDateTime(), nullable=False),
        sa.Column("saved_by", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["block_id"],
            ["narrative_blocks.id"],
            name=op.f("fk_narrative_versions_block_id_narrative_blocks"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("block_id", "number", name=op.f("uq_narrative_versions_block_id")),
    )
    op.create_index(op.f("ix_narrative_versions_block_id"), "narrative_versions", ["block_id"])
    op.create_index(op.f("ix_narrative_versions_plan_id"), "narrative_versions", ["plan_id"])
    op.create_table(
        "uec_priorities",
        *_id("uec_priorities"),
        *_plan("uec_priorities"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(600), nullable=False),
        sa.Column("support", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index(op.f("ix_uec_priorities_plan_id"), "uec_priorities", ["plan_id"])
    op.create_table(
        "uec_priority_schemes",
        *_id("uec_priority_schemes"),
        sa.Column("priority_id", BIG_ID, nullable=False),
        sa.Column("scheme_id", BIG_ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["priority_id"],
            ["uec_priorities.id"],
            name=op.f("fk_uec_priority_schemes_priority_id_uec_priorities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["bcf_schemes.id"],
            name=op.f("fk_uec_priority_schemes_scheme_id_bcf_schemes"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "priority_id", "scheme_id", name=op.f("uq_uec_priority_schemes_priority_id")
        ),
    )
    op.create_index(
        op.f("ix_uec_priority_schemes_priority_id"), "uec_priority_schemes", ["priority_id"]
    )
    op.create_index(
        op.f("ix_uec_priority_schemes_scheme_id"), "uec_priority_schemes", ["scheme_id"]
    )
    op.create_table(
        "house_styles",
        *_id("house_styles"),
        sa.Column("organisation_id", BIG_ID, nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_house_styles_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_house_styles_organisation_id")),
    )


def downgrade() -> None:
    op.drop_table("house_styles")
    op.drop_table("uec_priority_schemes")
    op.drop_table("uec_priorities")
    op.drop_table("narrative_versions")
    op.drop_table("narrative_blocks")
