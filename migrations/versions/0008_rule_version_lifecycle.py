"""rule version lifecycle in the database: a published or retired version's record (author, note, approval,
publisher, times) is frozen like its content, and a retired version stays retired with its dates

Revision ID: 0008_rule_version_lifecycle
Revises: 0007_pegawai_status
Create Date: 2026-12-04 02:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008_rule_version_lifecycle'
down_revision = '0007_pegawai_status'
branch_labels = None
depends_on = None

#: the record of who made, approved and published a version, and when: fixed once it is published
_RECORD = ("author", "change_note", "contoh", "approved_by", "approved_at", "publisher", "published_at",
           "created_at", "problem_count")

_PG = """
CREATE OR REPLACE FUNCTION kinerja_rule_version_lifecycle() RETURNS trigger AS $$
BEGIN
  IF OLD.status <> 'draft' AND ({record}) THEN
    RAISE EXCEPTION 'rule_version % is %: who made, approved and published it, and when, are final', OLD.id, OLD.status;
  END IF;
  IF OLD.status = 'retired' AND (NEW.status <> 'retired' OR NEW.effective_to IS DISTINCT FROM OLD.effective_to
      OR NEW.retired_at IS DISTINCT FROM OLD.retired_at) THEN
    RAISE EXCEPTION 'rule_version % is retired: it stays retired, with its dates', OLD.id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER rule_version_lifecycle BEFORE UPDATE ON rule_version
  FOR EACH ROW EXECUTE FUNCTION kinerja_rule_version_lifecycle();
""".format(record=" OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _RECORD))

_SQLITE = [
    """CREATE TRIGGER rule_version_record_frozen BEFORE UPDATE ON rule_version
       WHEN OLD.status <> 'draft' AND ({record})
       BEGIN SELECT RAISE(ABORT, 'rule_version is published: who made, approved and published it, and when, are final'); END
    """.format(record=" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _RECORD)),
    """CREATE TRIGGER rule_version_retired_final BEFORE UPDATE ON rule_version
       WHEN OLD.status = 'retired' AND (NEW.status <> 'retired' OR NEW.effective_to IS NOT OLD.effective_to
         OR NEW.retired_at IS NOT OLD.retired_at)
       BEGIN SELECT RAISE(ABORT, 'rule_version is retired: it stays retired, with its dates'); END""",
]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG)
    else:
        for statement in _SQLITE:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS rule_version_lifecycle ON rule_version")
        op.execute("DROP FUNCTION IF EXISTS kinerja_rule_version_lifecycle()")
    else:
        op.execute("DROP TRIGGER IF EXISTS rule_version_record_frozen")
        op.execute("DROP TRIGGER IF EXISTS rule_version_retired_final")
