"""listening: posts are stored first and read (classified, routed) in a second stage

``analysed_at`` is NULL while a stored post waits for the analysis stage (the outbox the stage drains);
``lang_hint`` keeps the source's language hint for it. Posts stored before were analysed when stored.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('posts', sa.Column('lang_hint', sa.String(length=12), nullable=True))
    op.add_column('posts', sa.Column('analysed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE posts SET analysed_at = COALESCE(fetched_at, CURRENT_TIMESTAMP)")
    op.create_index('ix_posts_pending', 'posts', ['id'], sqlite_where=sa.text('analysed_at IS NULL'),
                    postgresql_where=sa.text('analysed_at IS NULL'))


def downgrade() -> None:
    op.drop_index('ix_posts_pending', table_name='posts')
    # plain ALTER TABLE (SQLite ≥ 3.35 too): a batch copy of posts would break the foreign keys pointing at it
    op.execute('ALTER TABLE posts DROP COLUMN analysed_at')
    op.execute('ALTER TABLE posts DROP COLUMN lang_hint')
