"""A metric's age range, for its age-standardised rates

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


# The catalogue's part-age standardised rates (demo/data/metrics.yaml): without their range a
# database upgraded from 0014 would refuse their next import of age bands as "not all ages".
KNOWN = {
    "falls_65_plus": "65+",
    "u75_preventable_mortality_cancer": "0-74",
    "u75_preventable_mortality_cvd": "0-74",
    "u75_preventable_mortality_respiratory": "0-74",
}


def upgrade() -> None:
    with op.batch_alter_table("metrics") as batch:
        batch.add_column(sa.Column("age_range", sa.String(length=20), nullable=True))
    metrics = sa.table("metrics", sa.column("key", sa.String), sa.column("age_range", sa.String))
    for key, ages in KNOWN.items():
        op.execute(metrics.update().where(metrics.c.key == key).values(age_range=ages))


def downgrade() -> None:
    with op.batch_alter_table("metrics") as batch:
        batch.drop_column("age_range")
