"""listening: near-duplicate sketches stored as 4 bytes per hash instead of a JSON list

A sketch (community.domain.dedupe: up to 64 sorted 32-bit hashes) is written and read for every ingested post;
as bytes (little-endian unsigned 32-bit) it is a quarter of the size and costs no JSON encoding or decoding.
The values are unchanged, so are the lookup keys. Rows are converted in chunks through a holding table.

Revision ID: 0009
Revises: 0008
"""
import struct

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _table(name: str, kind) -> sa.TableClause:
    return sa.table(name, sa.column('post_id', sa.Integer()), sa.column('source', sa.String()),
                    sa.column('sketch', kind))


def _convert(old_kind, new_kind, convert) -> None:
    """Copy every sketch, converted, into a holding table; recreate post_sketches with the new type; copy back."""
    bind = op.get_bind()
    old, holding = _table('post_sketches', old_kind), _table('post_sketches_converted', new_kind)
    op.create_table('post_sketches_converted', sa.Column('post_id', sa.Integer(), primary_key=True),
                    sa.Column('source', sa.String(length=120), nullable=False), sa.Column('sketch', new_kind, nullable=False))
    last = -1
    while rows := bind.execute(sa.select(old.c.post_id, old.c.source, old.c.sketch).where(old.c.post_id > last)
                               .order_by(old.c.post_id).limit(2000)).all():
        bind.execute(sa.insert(holding), [{'post_id': post_id, 'source': source, 'sketch': convert(value)}
                                          for post_id, source, value in rows])
        last = rows[-1].post_id
    op.drop_table('post_sketches')
    op.create_table(
        'post_sketches',
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=120), nullable=False),
        sa.Column('sketch', new_kind, nullable=False),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id']),
        sa.PrimaryKeyConstraint('post_id'),
    )
    bind.execute(sa.insert(_table('post_sketches', new_kind)).from_select(
        ['post_id', 'source', 'sketch'], sa.select(holding.c.post_id, holding.c.source, holding.c.sketch)))
    op.drop_table('post_sketches_converted')


def upgrade() -> None:
    _convert(sa.JSON(), sa.LargeBinary(), lambda values: struct.pack(f'<{len(values)}I', *values))


def downgrade() -> None:
    _convert(sa.LargeBinary(), sa.JSON(), lambda value: list(struct.unpack(f'<{len(value) // 4}I', value)))
