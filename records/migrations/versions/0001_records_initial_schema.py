"""records: initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-12-03 (generated from records/models.py, then read)
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.String(length=120), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)

    op.create_table('award_kind',
    sa.Column('id', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('recipients', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_folded', sa.String(length=300), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('province', sa.String(length=100), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['merged_into_id'], ['unit.id'], ),
    sa.ForeignKeyConstraint(['parent_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_name_folded'), ['name_folded'], unique=False)

    op.create_table('collective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_folded', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('collective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collective_name_folded'), ['name_folded'], unique=False)
        batch_op.create_index(batch_op.f('ix_collective_unit_id'), ['unit_id'], unique=False)

    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('signer', sa.String(length=200), nullable=True),
    sa.Column('level', sa.String(length=100), nullable=True),
    sa.Column('basis', sa.Text(), nullable=True),
    sa.Column('submitter', sa.String(length=300), nullable=True),
    sa.Column('owner_unit_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number', 'issuer', 'date', name='uq_decision_number_issuer_date')
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_owner_unit_id'), ['owner_unit_id'], unique=False)

    op.create_table('movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=400), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('launched', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name', 'unit_id', 'launched', name='uq_movement')
    )
    with op.batch_alter_table('movement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_movement_launched'), ['launched'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('name_folded', sa.String(length=200), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_name_folded'), ['name_folded'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_unit_id'), ['unit_id'], unique=False)

    op.create_table('award_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('recipient_key', sa.String(length=24), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('collective_id', sa.Integer(), nullable=True),
    sa.Column('award_kind_id', sa.String(length=120), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('achievement', sa.Text(), nullable=True),
    sa.Column('method', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['award_kind_id'], ['award_kind.id'], ),
    sa.ForeignKeyConstraint(['collective_id'], ['collective.id'], ),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('decision_id', 'recipient_key', 'award_kind_id', name='uq_award_line')
    )
    with op.batch_alter_table('award_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_line_collective_id'), ['collective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_line_decision_date'), ['decision_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_line_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index('ix_award_line_kind_date', ['award_kind_id', 'decision_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_line_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_award_line_unit_date', ['unit_id', 'decision_date'], unique=False)

    op.create_table('resistance_award',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=200), nullable=False),
    sa.Column('period', sa.String(length=30), nullable=False),
    sa.Column('recipient_key', sa.String(length=24), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('collective_id', sa.Integer(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['collective_id'], ['collective.id'], ),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('decision_id', 'recipient_key', 'kind', name='uq_resistance_award')
    )
    with op.batch_alter_table('resistance_award', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resistance_award_collective_id'), ['collective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resistance_award_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resistance_award_person_id'), ['person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('resistance_award', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resistance_award_person_id'))
        batch_op.drop_index(batch_op.f('ix_resistance_award_decision_id'))
        batch_op.drop_index(batch_op.f('ix_resistance_award_collective_id'))

    op.drop_table('resistance_award')
    with op.batch_alter_table('award_line', schema=None) as batch_op:
        batch_op.drop_index('ix_award_line_unit_date')
        batch_op.drop_index(batch_op.f('ix_award_line_person_id'))
        batch_op.drop_index('ix_award_line_kind_date')
        batch_op.drop_index(batch_op.f('ix_award_line_decision_id'))
        batch_op.drop_index(batch_op.f('ix_award_line_decision_date'))
        batch_op.drop_index(batch_op.f('ix_award_line_collective_id'))

    op.drop_table('award_line')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_unit_id'))
        batch_op.drop_index(batch_op.f('ix_person_name_folded'))

    op.drop_table('person')
    with op.batch_alter_table('movement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_movement_launched'))

    op.drop_table('movement')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_owner_unit_id'))
        batch_op.drop_index(batch_op.f('ix_decision_number'))
        batch_op.drop_index(batch_op.f('ix_decision_date'))

    op.drop_table('decision')
    with op.batch_alter_table('collective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collective_unit_id'))
        batch_op.drop_index(batch_op.f('ix_collective_name_folded'))

    op.drop_table('collective')
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_name_folded'))

    op.drop_table('unit')
    op.drop_table('award_kind')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))

    op.drop_table('audit_entry')
