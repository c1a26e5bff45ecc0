"""records: award lines carry their recipient's folded name, indexed with the date (a common
family name is looked up newest first in that index alone)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('award_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient_folded', sa.String(length=300), nullable=True))
    op.execute("UPDATE award_line SET recipient_folded = (SELECT p.name_folded FROM person p WHERE p.id = award_line.person_id) "
               "WHERE person_id IS NOT NULL")
    op.execute("UPDATE award_line SET recipient_folded = (SELECT c.name_folded FROM collective c "
               "WHERE c.id = award_line.collective_id) WHERE collective_id IS NOT NULL")
    with op.batch_alter_table('award_line', schema=None) as batch_op:
        batch_op.create_index('ix_award_line_date_name', ['decision_date', 'recipient_folded'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('award_line', schema=None) as batch_op:
        batch_op.drop_index('ix_award_line_date_name')
        batch_op.drop_column('recipient_folded')
