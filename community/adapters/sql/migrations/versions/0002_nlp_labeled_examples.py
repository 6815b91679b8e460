"""nlp: labeled examples from managers' corrections (training data for `superfan train`)

Revision ID: 0002
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'labeled_examples',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('lang', sa.String(length=12), nullable=False),
        sa.Column('topic', sa.String(length=60), nullable=True),
        sa.Column('urgency', sa.String(length=20), nullable=True),
        sa.Column('sentiment', sa.String(length=20), nullable=True),
        sa.Column('post_id', sa.Integer(), nullable=True),
        sa.Column('thread_id', sa.Integer(), nullable=True),
        sa.Column('corrected_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('previous', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id']),
        sa.ForeignKeyConstraint(['thread_id'], ['threads.id']),
        sa.ForeignKeyConstraint(['corrected_by'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('labeled_examples', schema=None) as batch_op:
        batch_op.create_index('ix_labeled_examples_post_id', ['post_id'], unique=False)
        batch_op.create_index('ix_labeled_examples_thread_id', ['thread_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('labeled_examples', schema=None) as batch_op:
        batch_op.drop_index('ix_labeled_examples_thread_id')
        batch_op.drop_index('ix_labeled_examples_post_id')
    op.drop_table('labeled_examples')
