"""kb: staleness flags, suggestion feedback counters and the feedback log

Revision ID: 0005
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('kb_articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stale', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('stale_reasons', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('unresolved_questions', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('inserts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('dismissals', sa.Integer(), nullable=False, server_default='0'))
    op.create_table(
        'kb_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('thread_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['article_id'], ['kb_articles.id']),
        sa.ForeignKeyConstraint(['thread_id'], ['threads.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_kb_feedback_article_kind', 'kb_feedback', ['article_id', 'kind'])


def downgrade() -> None:
    op.drop_index('ix_kb_feedback_article_kind', table_name='kb_feedback')
    op.drop_table('kb_feedback')
    with op.batch_alter_table('kb_articles', schema=None) as batch_op:
        batch_op.drop_column('dismissals')
        batch_op.drop_column('inserts')
        batch_op.drop_column('unresolved_questions')
        batch_op.drop_column('stale_reasons')
        batch_op.drop_column('stale')
