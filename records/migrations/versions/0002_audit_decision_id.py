"""records: the audit log names the decision each change belongs to (the decision page's history)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_entry_decision_id'), ['decision_id'], unique=False)
    # the entries written before: a decision's own rows, and the lines still in the database
    op.execute("UPDATE audit_entry SET decision_id = CAST(row_id AS INTEGER) WHERE table_name = 'decision'")
    for table in ('award_line', 'resistance_award'):
        op.execute(f"UPDATE audit_entry SET decision_id = (SELECT t.decision_id FROM {table} t "
                   f"WHERE t.id = CAST(audit_entry.row_id AS INTEGER)) WHERE table_name = '{table}'")


def downgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_decision_id'))
        batch_op.drop_column('decision_id')
