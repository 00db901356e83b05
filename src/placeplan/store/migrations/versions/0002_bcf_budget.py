"""bcf budget

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bcf_nhs_asc_baselines",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("area_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("year_start", sa.Integer(), nullable=False),
        sa.Column("baseline_pence", sa.BigInteger(), nullable=False),
        sa.Column("uplift_percent", sa.Numeric(precision=6, scale=3), nullable=False),
        sa.Column("cited", sa.String(length=300), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_bcf_nhs_asc_baselines_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bcf_nhs_asc_baselines")),
        sa.UniqueConstraint("area_id", "year_start", name=op.f("uq_bcf_nhs_asc_baselines_area_id")),
    )
    op.create_table(
        "bcf_income",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("plan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column(
            "contributor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("cited", sa.String(length=300), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["organisations.id"],
            name=op.f("fk_bcf_income_contributor_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_bcf_income_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bcf_income")),
    )
    with op.batch_alter_table("bcf_income", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bcf_income_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "bcf_schemes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("plan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("scheme_type", sa.String(length=60), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("desired_outcomes", sa.Text(), nullable=True),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("priorities", sa.JSON(), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("cited", sa.String(length=300), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_bcf_schemes_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bcf_schemes")),
        sa.UniqueConstraint("plan_id", "ref", name=op.f("uq_bcf_schemes_plan_id")),
    )
    with op.batch_alter_table("bcf_schemes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bcf_schemes_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "bcf_stated_figures",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("plan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("what", sa.String(length=80), nullable=False),
        sa.Column("text", sa.String(length=40), nullable=False),
        sa.Column("cited", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_bcf_stated_figures_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bcf_stated_figures")),
    )
    with op.batch_alter_table("bcf_stated_figures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bcf_stated_figures_plan_id"), ["plan_id"], unique=False
        )

    op.create_table(
        "bcf_top_slices",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("plan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("body_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_bcf_top_slices_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_bcf_top_slices_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bcf_top_slices")),
    )
    with op.batch_alter_table("bcf_top_slices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bcf_top_slices_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "bcf_lines",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("plan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "scheme_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("funding_source", sa.String(length=30), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("new_pence", sa.BigInteger(), nullable=False),
        sa.Column("sub_type", sa.String(length=60), nullable=True),
        sa.Column("area_of_spend", sa.String(length=30), nullable=True),
        sa.Column("commissioner", sa.String(length=10), nullable=True),
        sa.Column("nhs_share", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("provider", sa.String(length=30), nullable=True),
        sa.Column(
            "district_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("planned_outputs", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("output_unit", sa.String(length=60), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["organisations.id"],
            name=op.f("fk_bcf_lines_district_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_bcf_lines_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["bcf_schemes.id"],
            name=op.f("fk_bcf_lines_scheme_id_bcf_schemes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bcf_lines")),
        sa.UniqueConstraint("plan_id", "ref", name=op.f("uq_bcf_lines_plan_id")),
    )
    with op.batch_alter_table("bcf_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bcf_lines_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bcf_lines_scheme_id"), ["scheme_id"], unique=False)

    op.create_table(
        "kloe_reviews",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "scheme_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("body_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("recommendation", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_kloe_reviews_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["bcf_schemes.id"],
            name=op.f("fk_kloe_reviews_scheme_id_bcf_schemes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kloe_reviews")),
    )
    with op.batch_alter_table("kloe_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kloe_reviews_scheme_id"), ["scheme_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kloe_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kloe_reviews_scheme_id"))

    op.drop_table("kloe_reviews")
    with op.batch_alter_table("bcf_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bcf_lines_scheme_id"))
        batch_op.drop_index(batch_op.f("ix_bcf_lines_plan_id"))

    op.drop_table("bcf_lines")
    with op.batch_alter_table("bcf_top_slices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bcf_top_slices_plan_id"))

    op.drop_table("bcf_top_slices")
    with op.batch_alter_table("bcf_stated_figures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bcf_stated_figures_plan_id"))

    op.drop_table("bcf_stated_figures")
    with op.batch_alter_table("bcf_schemes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bcf_schemes_plan_id"))

    op.drop_table("bcf_schemes")
    with op.batch_alter_table("bcf_income", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bcf_income_plan_id"))

    op.drop_table("bcf_income")
    op.drop_table("bcf_nhs_asc_baselines")
