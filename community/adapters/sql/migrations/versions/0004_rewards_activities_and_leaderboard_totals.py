"""rewards: points activities, derived leaderboard totals, award/redemption/reward/discovery columns

Revision ID: 0004
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'points_activities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=True),
        sa.Column('article_id', sa.Integer(), nullable=True),
        sa.Column('topic', sa.String(length=60), nullable=True),
        sa.Column('language', sa.String(length=12), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('outcome', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_activities_user_at', 'points_activities', ['user_id', 'at'])
    op.create_index('ix_activities_thread', 'points_activities', ['thread_id'])
    op.create_table(
        'leaderboard_totals',
        sa.Column('period', sa.String(length=10), nullable=False),
        sa.Column('period_key', sa.String(length=10), nullable=False),
        sa.Column('scope', sa.String(length=80), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('period', 'period_key', 'scope', 'user_id'),
    )
    op.create_index('ix_leaderboard_board_points', 'leaderboard_totals', ['period', 'period_key', 'scope', 'points'])
    op.create_index('ix_points_thread', 'points_events', ['thread_id'])
    with op.batch_alter_table('points_events') as batch:
        batch.add_column(sa.Column('activity_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('awards') as batch:
        batch.add_column(sa.Column('points_event_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('rewards') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=30), nullable=False, server_default='other'))
    with op.batch_alter_table('redemptions') as batch:
        batch.add_column(sa.Column('note', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('external_identities') as batch:
        batch.add_column(sa.Column('status_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('status_by', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('external_identities') as batch:
        batch.drop_column('status_by')
        batch.drop_column('status_at')
    with op.batch_alter_table('redemptions') as batch:
        batch.drop_column('note')
    with op.batch_alter_table('rewards') as batch:
        batch.drop_column('kind')
    with op.batch_alter_table('awards') as batch:
        batch.drop_column('points_event_id')
    with op.batch_alter_table('points_events') as batch:
        batch.drop_column('activity_id')
    op.drop_index('ix_points_thread', table_name='points_events')
    op.drop_index('ix_leaderboard_board_points', table_name='leaderboard_totals')
    op.drop_table('leaderboard_totals')
    op.drop_index('ix_activities_thread', table_name='points_activities')
    op.drop_index('ix_activities_user_at', table_name='points_activities')
    op.drop_table('points_activities')
