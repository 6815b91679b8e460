"""listening: near-duplicate lookup keys become LSH band keys (rebuilt from the stored sketches)

The lookup keys were the sketch's 8 smallest hashes, which common phrases share across many posts; they are
now one key per band of a MinHash signature, a BLAKE2b digest of the band (frozen in
community.adapters.sql.blake2b_band_keys: 0009 changed the live keys). The tables keep their columns: only the rows
of post_sketch_keys are recomputed from post_sketches.

Revision ID: 0007
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

from community.adapters.sql.blake2b_band_keys import blake2b_band_keys

revision = '0007'
down_revision = '0002'
branch_labels = None
depends_on = None

_sketches = sa.table('post_sketches', sa.column('post_id', sa.Integer()), sa.column('sketch', sa.JSON()))
_keys = sa.table('post_sketch_keys', sa.column('key', sa.BigInteger()), sa.column('post_id', sa.Integer()))


def _rebuild(keys_of) -> None:
    bind = op.get_bind()
    bind.execute(sa.delete(_keys))
    rows = bind.execute(sa.select(_sketches.c.post_id, _sketches.c.sketch)).all()
    for start in range(0, len(rows), 1000):
        values = [{'key': key, 'post_id': post_id} for post_id, sketch in rows[start:start + 1000]
                  for key in set(keys_of(tuple(sketch)))]
        if values:
            bind.execute(sa.insert(_keys), values)


def upgrade() -> None:
    _rebuild(blake2b_band_keys)


def downgrade() -> None:
    _rebuild(lambda sketch: sketch[:8])
