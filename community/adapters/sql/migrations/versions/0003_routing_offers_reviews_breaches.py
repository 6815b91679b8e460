"""routing: offers to super-users, answer reviews before publishing, SLA breaches

Revision ID: 0003
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'offers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('offered_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['thread_id'], ['threads.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offers_thread_id'), ['thread_id'], unique=False)
        batch_op.create_index('ix_offers_user_status', ['user_id', 'status'], unique=False)
    op.create_table(
        'answer_reviews',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), nullable=False),
        sa.Column('staff', sa.Boolean(), nullable=False),
        sa.Column('verdict', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['answer_id'], ['answers.id']),
        sa.ForeignKeyConstraint(['reviewer_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('answer_id', 'reviewer_id', name='uq_answer_reviews_answer_reviewer'),
    )
    with op.batch_alter_table('answer_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_reviews_answer_id'), ['answer_id'], unique=False)
    op.create_table(
        'sla_breaches',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['thread_id'], ['threads.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('thread_id', 'kind', name='uq_sla_breaches_thread_kind'),
    )
    with op.batch_alter_table('sla_breaches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sla_breaches_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sla_breaches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sla_breaches_at'))
    op.drop_table('sla_breaches')
    with op.batch_alter_table('answer_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_reviews_answer_id'))
    op.drop_table('answer_reviews')
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_index('ix_offers_user_status')
        batch_op.drop_index(batch_op.f('ix_offers_thread_id'))
    op.drop_table('offers')
