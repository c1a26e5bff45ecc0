"""accounts: users, memberships (unit, role), login attempts, account events

Revision ID: 0001_accounts
Revises:
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_accounts"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounts_user"),
        sa.UniqueConstraint("login", name="uq_accounts_user_login"),
    )
    op.create_table(
        "accounts_membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="ck_accounts_membership_role"),
        sa.ForeignKeyConstraint(["user_id"], ["accounts_user.id"], ondelete="CASCADE",
                                name="fk_accounts_membership_user_id_accounts_user"),
        sa.PrimaryKeyConstraint("id", name="pk_accounts_membership"),
        sa.UniqueConstraint("user_id", "unit_code", name="uq_accounts_membership_user_id"),
    )
    op.create_index("ix_accounts_membership_user_id", "accounts_membership", ["user_id"])
    op.create_table(
        "accounts_login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(64), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounts_login_attempt"),
    )
    for col in ("login", "client", "at"):
        op.create_index(f"ix_accounts_login_attempt_{col}", "accounts_login_attempt", [col])
    op.create_table(
        "accounts_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("login", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("detail", sa.String(500), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounts_event"),
    )
    op.create_index("ix_accounts_event_at", "accounts_event", ["at"])
    op.create_index("ix_accounts_event_login", "accounts_event", ["login"])


def downgrade() -> None:
    op.drop_table("accounts_event")
    op.drop_table("accounts_login_attempt")
    op.drop_table("accounts_membership")
    op.drop_table("accounts_user")
