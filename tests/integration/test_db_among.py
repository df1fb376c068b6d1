"""`engine.db.among`: the id filter of bulk work (one array parameter on PostgreSQL, IN elsewhere) selects what
IN selects, for no id, one, and more ids than psycopg caches statements for."""
from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from engine.db import among
from engine.organisation import Daerah


@pytest.mark.parametrize("count", [0, 1, 3, 120])
def test_among_selects_what_in_selects(session, count):
    session.execute(insert(Daerah), [{"code": f"d{k}", "name": f"Daerah {k}", "level": "kota",
                                      "timezone": "Asia/Jakarta"} for k in range(150)])
    ids = sorted(session.scalars(select(Daerah.id)))
    wanted = ids[::2][:count] + [10**9]  # every other id, and one that does not exist
    dialect = session.get_bind().dialect.name
    got = sorted(session.scalars(select(Daerah.id).where(among(Daerah.id, wanted, dialect))))
    assert got == sorted(session.scalars(select(Daerah.id).where(Daerah.id.in_(wanted)))) == ids[::2][:count]
    assert session.scalars(select(Daerah.id).where(among(Daerah.id, [], dialect))).all() == []
