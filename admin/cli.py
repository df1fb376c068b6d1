"""The `kinerja` command group: `flask --app wsgi kinerja <command>`."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from admin.extensions import db

kinerja = AppGroup("kinerja", help="Perintah Kinerja / Kinerja commands.")


@kinerja.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load when the database has no daerah yet.")
@click.option("--quiet", is_flag=True, help="Do not print the demo logins.")
def demo_command(if_empty: bool, quiet: bool) -> None:
    """Load the demo (idempotent): daerah, unit kerja, pegawai, logins and rule packs; survey responses; last year's
    evaluations closed and this year's in every state (about half a minute the first time)."""
    import datetime as dt

    from workflows.demo import DEMO_PASSWORD, demo_logins, is_empty, load_full_demo

    if if_empty and not is_empty(db.session):
        click.echo("Data demo sudah ada / demo data already present.")
    else:
        click.echo("Memuat data demo (sekitar setengah menit) / loading the demo data (about half a minute)...")
        full = load_full_demo(db.session, dt.date.today())
        db.session.commit()
        report = full.base
        click.echo(f"Data demo / demo data: +{report.daerah} daerah, +{report.units} unit kerja, "
                   f"+{report.pegawai} pegawai, +{report.users} pengguna/users, +{report.rule_versions} versi aturan/rule versions, "
                   f"+{full.evaluations_driven} evaluasi/evaluations, +{full.decisions} keputusan/decisions, "
                   f"+{full.public['responses']} tanggapan survei/survey responses.")
    if not quiet:
        click.echo(f"Login demo (kata sandi / password: {DEMO_PASSWORD}):")
        for username, what in demo_logins():
            click.echo(f"  {username:<24} {what}")


@kinerja.command("audit-verify")
def audit_verify_command() -> None:
    """Check the audit log's whole hash chain in one run and name the first broken row (exit 1)."""
    from engine.audit import verify_chain

    report = verify_chain(db.session)
    if report.ok:
        click.echo(f"Rantai audit utuh / audit chain intact: {report.checked} baris/rows.")
        return
    click.echo(f"Rantai audit RUSAK pada baris seq={report.broken_seq} / audit chain BROKEN at row "
               f"seq={report.broken_seq}: {report.reason} / {report.reason_en} ({report.checked} baris sebelumnya "
               "utuh / rows before intact)", err=True)
    raise SystemExit(1)


def init_app(app: Flask) -> None:
    """Register the command group."""
    from admin import cli_accounts, cli_rules, cli_workflows

    cli_accounts.register(kinerja)
    cli_rules.register(kinerja)
    cli_workflows.register(kinerja)
    app.cli.add_command(kinerja)
