"""The audit log: one row per change in the same transaction, a hash chain, append-only, verifiable."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from admin.extensions import db
from engine.audit import AuditLog, record_event, verify_chain
from tests.factories import make_daerah, make_pegawai, make_unit


def _rows(session):
    return session.scalars(select(AuditLog).order_by(AuditLog.seq)).all()


def test_create_update_delete_each_write_one_row_with_actor_and_before_after(session):
    daerah = make_daerah(session, code="uji")
    unit = make_unit(session, daerah, name="Dinas A")
    person = make_pegawai(session, unit, name="Siti")
    session.commit()
    person_id = person.id
    person.name = "Siti Aminah"
    session.commit()
    session.delete(person)
    session.commit()

    rows = [r for r in _rows(session) if r.entity == "pegawai"]
    assert [r.action for r in rows] == ["create", "update", "delete"]
    assert [r.entity_id for r in rows] == [str(person_id)] * 3, "an auditor finds a row's whole history by its id"
    assert all(r.actor == "test" for r in rows)
    assert rows[0].after["name"] == "Siti" and rows[0].before is None
    assert rows[1].before == {"name": "Siti"} and rows[1].after == {"name": "Siti Aminah"}
    assert rows[2].before["nip"] == person.nip and rows[2].after is None
    assert rows[0].daerah_id == daerah.id


def test_rolled_back_change_leaves_no_audit_row(session):
    make_daerah(session, code="batal")
    session.rollback()
    assert session.scalar(select(func.count()).select_from(AuditLog)) == 0


def test_password_hash_never_reaches_the_audit_log(session):
    from tests.factories import make_user

    make_user(session, username="rahasia")
    session.commit()
    row = next(r for r in _rows(session) if r.entity == "users")
    assert "password_hash" not in row.after


def test_chain_links_each_row_to_the_previous_hash(session):
    daerah = make_daerah(session)
    make_unit(session, daerah)
    session.commit()
    record_event(session, "publish", "rule_version", 7, daerah_id=daerah.id, after={"status": "published"})
    session.commit()
    rows = _rows(session)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:]))
    assert verify_chain(session).ok and verify_chain(session).checked == len(rows)


def test_audit_rows_cannot_be_updated_or_deleted(session):
    make_daerah(session)
    session.commit()
    with pytest.raises(DBAPIError):
        session.execute(text("UPDATE audit_log SET actor = 'someone else'"))
    session.rollback()
    with pytest.raises(DBAPIError):
        session.execute(text("DELETE FROM audit_log"))
    session.rollback()


def _tamper(session, seq: int) -> None:
    """Change one row behind the application's back (an attacker with DDL rights)."""
    if session.bind.dialect.name == "postgresql":
        session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
    else:
        session.execute(text("DROP TRIGGER audit_log_no_update"))
    session.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = :s"), {"s": seq})
    session.commit()


def test_audit_verify_names_the_first_broken_row(app, session):
    daerah = make_daerah(session)
    for _ in range(3):
        make_unit(session, daerah)
    session.commit()
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["kinerja", "audit-verify"])
    assert ok.exit_code == 0 and "utuh" in ok.output and "4 baris" in ok.output

    _tamper(session, 3)
    broken = runner.invoke(args=["kinerja", "audit-verify"])
    assert broken.exit_code == 1
    assert "seq=3" in broken.output and "(diubah) / the row's content does not match its hash" in broken.output


def _in_segments(session) -> tuple[object, int]:
    """The chain check as the console runs it, but two rows a segment: (the verdict, segments it took)."""
    report, segments = verify_chain(session, 2, seconds=0), 1
    while not report.complete:
        assert not report.ok and report.broken_seq is None, "an unfinished check is neither intact nor broken"
        report, segments = verify_chain(session, 2, start=report.resume, seconds=0), segments + 1
    return report, segments


def test_a_check_in_segments_reaches_the_verdict_of_one_whole_check(session):
    daerah = make_daerah(session)
    for _ in range(6):
        make_unit(session, daerah)
    session.commit()
    whole = verify_chain(session)
    report, segments = _in_segments(session)
    assert whole.ok and whole.complete and report.ok and report.checked == whole.checked == 7 and segments == 4

    _tamper(session, 5)
    whole = verify_chain(session)
    report, _ = _in_segments(session)
    assert (report.broken_seq, report.checked) == (whole.broken_seq, whole.checked) == (5, 4)
    assert "diubah" in report.reason and "changed" in report.reason_en


def test_rows_written_while_a_check_runs_are_checked_too_and_never_read_as_missing(session):
    daerah = make_daerah(session)
    for _ in range(4):
        make_unit(session, daerah)
    session.commit()
    first = verify_chain(session, 2, seconds=0)
    assert first.resume is not None and first.checked == 2
    record_event(session, "publish", "rule_version", 1, daerah_id=daerah.id, after={"status": "published"})
    session.commit()  # someone works while the auditor's check is between two segments
    report = first
    while not report.complete:
        report = verify_chain(session, 2, start=report.resume, seconds=0)
    assert report.ok and report.checked == 6


def test_a_row_committed_while_the_check_reads_the_head_is_not_read_as_missing(session):
    """Another request appends a row just as the check reads the chain's head (a check that read the head after the
    rows would find it one row ahead and call the chain broken): the check covers the chain up to the head it read."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    daerah = make_daerah(session)
    make_unit(session, daerah)
    session.commit()
    engine, written = session.get_bind(), []

    def another_request_writes(conn, cursor, statement, parameters, context, executemany):
        if "FROM audit_head" in statement and "FOR UPDATE" not in statement and not written:
            written.append(statement)
            with Session(bind=engine) as other:
                record_event(other, "publish", "rule_version", 9, daerah_id=daerah.id, actor="hr.lain")
                other.commit()

    event.listen(engine, "before_cursor_execute", another_request_writes)
    try:
        report = verify_chain(session, 5)
    finally:
        event.remove(engine, "before_cursor_execute", another_request_writes)
    assert written and report.ok and report.checked == 3


def test_rows_cut_off_the_end_of_the_chain_are_found_by_the_head(session):
    daerah = make_daerah(session)
    for _ in range(3):
        make_unit(session, daerah)
    session.commit()
    if session.bind.dialect.name == "postgresql":
        session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
    else:
        session.execute(text("DROP TRIGGER audit_log_no_delete"))
    session.execute(text("DELETE FROM audit_log WHERE seq = 4"))  # the newest row, behind the application's back
    session.commit()
    report = verify_chain(session)
    assert not report.ok and report.complete and (report.broken_seq, report.checked) == (4, 3)
    assert "hilang" in report.reason and "missing" in report.reason_en


def test_web_changes_are_audited_with_the_signed_in_user(app, client, session):
    from tests.factories import PASSWORD, make_user
    from tests.forms import login, submit

    daerah = make_daerah(session, code="palu2")
    unit = make_unit(session, daerah)
    make_user(session, username="hr.palu2", roles=[("hr", daerah)])
    session.commit()
    login(client, "hr.palu2", PASSWORD)
    response = submit(client, "/admin/unit_kerja/new/", {"code": "bidang-x", "name": "Bidang X",
                                                         "daerah": str(daerah.id), "parent": str(unit.id)})
    assert response.status_code == 200
    row = session.scalars(select(AuditLog).where(AuditLog.entity == "unit_kerja").order_by(AuditLog.seq.desc())).first()
    assert row.actor == "hr.palu2" and row.after["code"] == "bidang-x"
    with app.app_context():
        assert verify_chain(db.session).ok
