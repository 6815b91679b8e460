"""listening: near-duplicate sketches stored as 4 bytes per hash instead of a JSON list; band keys mixed, not BLAKE2b

A sketch (community.domain.dedupe: up to 64 sorted 32-bit hashes) is written and read for every ingested post;
as bytes (little-endian unsigned 32-bit) it is a quarter of the size and costs no JSON encoding or decoding.
The hashes are unchanged. A band's lookup key was the BLAKE2b digest of the band's number and bins; it is now
their SplitMix64 mix (dedupe.lookup_keys), computed for a whole batch with array arithmetic — equal bands still
give equal keys, so the same posts are candidates. The keys are rebuilt from the stored sketches (as in 0007).
Rows are converted in chunks through a holding table.

Revision ID: 0009
Revises: 0008
"""
import struct

import numpy as np
import sqlalchemy as sa
from alembic import op

from community.adapters.sql.blake2b_band_keys import blake2b_band_keys
from community.domain.dedupe_batch import SketchBatch

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_keys = sa.table('post_sketch_keys', sa.column('key', sa.BigInteger()), sa.column('post_id', sa.Integer()))


def _sketches(name: str, kind) -> sa.TableClause:
    return sa.table(name, sa.column('post_id', sa.Integer()), sa.column('source', sa.String()),
                    sa.column('sketch', kind))


def _mixed_keys(sketches: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    sizes = [len(values) for values in sketches]
    return SketchBatch(np.array([v for values in sketches for v in values], dtype=np.uint32),
                       np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)).keys()


def _convert(old_kind, new_kind, stored, keys_of) -> None:
    """Copy every sketch into a holding table as ``stored`` gives it and rebuild its keys with ``keys_of``;
    recreate post_sketches with the new column type and copy the sketches back."""
    bind = op.get_bind()
    old, holding = _sketches('post_sketches', old_kind), _sketches('post_sketches_converted', new_kind)
    op.create_table('post_sketches_converted', sa.Column('post_id', sa.Integer(), primary_key=True),
                    sa.Column('source', sa.String(length=120), nullable=False), sa.Column('sketch', new_kind, nullable=False))
    bind.execute(sa.delete(_keys))
    last = -1
    while rows := bind.execute(sa.select(old.c.post_id, old.c.source, old.c.sketch).where(old.c.post_id > last)
                               .order_by(old.c.post_id).limit(2000)).all():
        values = [tuple(value) if isinstance(value, list) else struct.unpack(f'<{len(value) // 4}I', value)
                  for _, _, value in rows]
        bind.execute(sa.insert(holding), [{'post_id': row.post_id, 'source': row.source, 'sketch': stored(value)}
                                          for row, value in zip(rows, values, strict=True)])
        bind.execute(sa.insert(_keys), [{'key': key, 'post_id': row.post_id}
                                        for row, keys in zip(rows, keys_of(values), strict=True) for key in set(keys)])
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
    bind.execute(sa.insert(_sketches('post_sketches', new_kind)).from_select(
        ['post_id', 'source', 'sketch'], sa.select(holding.c.post_id, holding.c.source, holding.c.sketch)))
    op.drop_table('post_sketches_converted')


def upgrade() -> None:
    _convert(sa.JSON(), sa.LargeBinary(), lambda values: struct.pack(f'<{len(values)}I', *values), _mixed_keys)


def downgrade() -> None:
    _convert(sa.LargeBinary(), sa.JSON(), list, lambda sketches: [blake2b_band_keys(v) for v in sketches])
