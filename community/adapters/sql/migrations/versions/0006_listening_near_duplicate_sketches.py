"""listening: near-duplicate sketches of stored posts and their lookup keys

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'post_sketches',
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=120), nullable=False),
        sa.Column('sketch', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id']),
        sa.PrimaryKeyConstraint('post_id'),
    )
    op.create_table(
        'post_sketch_keys',
        sa.Column('key', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('post_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id']),
        sa.PrimaryKeyConstraint('key', 'post_id'),
    )


def downgrade() -> None:
    op.drop_table('post_sketch_keys')
    op.drop_table('post_sketches')
