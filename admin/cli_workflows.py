"""`kinerja period open`, `kinerja decide`, `kinerja overdue`: the evaluation lifecycle's bulk work for HR."""
from __future__ import annotations

import datetime as dt
import json
import sys

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from admin.cli_rules import acting_user, fail, find_daerah, user_option
from admin.extensions import db
from engine.organisation import Daerah, UnitKerja
from engine.runtime.errors import EngineError


def find_unit(daerah: Daerah, code: str | None) -> UnitKerja | None:
    """The daerah's unit with this code, or a clear exit naming some known codes."""
    if code is None:
        return None
    unit = db.session.scalar(select(UnitKerja).where(UnitKerja.daerah_id == daerah.id, UnitKerja.code == code))
    if unit is None:
        codes = list(db.session.scalars(select(UnitKerja.code).where(UnitKerja.daerah_id == daerah.id)
                                        .order_by(UnitKerja.code)))
        shown = ", ".join(codes[:30]) + (f", ... (+{len(codes) - 30})" if len(codes) > 30 else "")
        click.echo(f"Unit kerja tidak dikenal di {daerah.code} / unknown unit in {daerah.code}: {code} "
                   f"(ada / known: {shown or '-'})", err=True)
        sys.exit(2)
    return unit


def _progress(label: str):
    """A progress printer: a line about every tenth of the way and at the end."""
    state = {"last": -1}

    def report(done: int, total: int) -> None:
        step = max(1, total // 10)
        if done == total or done // step != state["last"]:
            state["last"] = done // step
            click.echo(f"  {label}: {done:,}/{total:,}")
    return report


period_group = AppGroup("period", help="Periode penilaian / evaluation periods.")


@period_group.command("open")
@click.option("--daerah", required=True, help="Daerah code, e.g. palu.")
@click.option("--tahun", required=True, type=int, help="Year of the tahunan period, e.g. 2026.")
@click.option("--unit", default=None, help="Only this unit kerja and the units below it (code).")
@click.option("--chunk", default=1000, show_default=True, type=click.IntRange(min=1),
              help="Pegawai per committed chunk.")
@user_option
def open_command(daerah: str, tahun: int, unit: str | None, chunk: int, username: str) -> None:
    """Open a tahunan period: an evaluation for every pegawai who has none yet (safe to re-run)."""
    from workflows.bulk import open_period_job

    user = acting_user(username)
    target = find_daerah(daerah)
    scope = find_unit(target, unit)
    try:
        report = open_period_job(db.session, user, target, tahun, scope, progress=_progress("pegawai"),
                                 chunk_size=chunk)
    except EngineError as error:
        db.session.rollback()
        fail(error)
    click.echo(f"Periode / period {tahun} {target.code}{' ' + scope.code if scope else ''}: +{report.created:,} "
               f"evaluasi baru / new evaluations, {report.existing:,} sudah ada / already there, "
               f"{report.not_aktif:,} pegawai tidak aktif dilewati / not aktif, skipped.")


@click.command("decide")
@with_appcontext
@click.option("--daerah", required=True, help="Daerah code, e.g. palu.")
@click.option("--unit", required=True, help="Unit kerja code; the units below it are included.")
@click.option("--tahun", type=int, default=None, help="Only evaluations of this year (default: every year).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Processes deciding in parallel (PostgreSQL only).")
@click.option("--chunk", default=250, show_default=True, type=click.IntRange(min=1),
              help="Evaluations per committed chunk.")
@user_option
def decide_command(daerah: str, unit: str, tahun: int | None, workers: int, chunk: int, username: str) -> None:
    """Decide every evaluation of a unit in review that has no decision yet (safe to re-run after a crash)."""
    from workflows.bulk import decide_unit_job

    user = acting_user(username)
    target = find_daerah(daerah)
    scope = find_unit(target, unit)
    try:
        report = decide_unit_job(db.session, user, target, scope, tahun=tahun, progress=_progress("evaluasi"),
                                 chunk_size=chunk, workers=workers)
    except EngineError as error:
        db.session.rollback()
        fail(error)
    click.echo(f"Diputuskan / decided: {report.decided:,}; sudah diputuskan sebelumnya / already decided: "
               f"{report.already_decided:,}; gagal / failed: {len(report.failed):,}.")
    for evaluation_id, message in report.failed[:50]:
        click.echo(f"  - evaluasi #{evaluation_id}: {message}")
    if len(report.failed) > 50:
        click.echo(f"  ... +{len(report.failed) - 50}")


@click.command("overdue")
@with_appcontext
@click.option("--daerah", required=True, help="Daerah code, e.g. palu.")
@click.option("--on", "on", default=None, help="Local date (YYYY-MM-DD); default: today in the daerah's time zone.")
@click.option("--unit", default=None, help="Only this unit kerja and the units below it (code).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@user_option
def overdue_command(daerah: str, on: str | None, unit: str | None, as_json: bool, username: str) -> None:
    """List what is past its deadline in a daerah, and who must act."""
    from workflows.deadlines import deadline_rules, overdue, unit_subtree_ids

    user = acting_user(username)
    target = find_daerah(daerah)
    scope = find_unit(target, unit)
    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError:
        raise click.BadParameter(f"'{on}': tanggal YYYY-MM-DD / date YYYY-MM-DD", param_hint="--on") from None
    try:
        items = overdue(db.session, user, target, day,
                        unit_ids=unit_subtree_ids(db.session, scope) if scope else None)
    except EngineError as error:
        fail(error)
    if as_json:
        click.echo(json.dumps([i.as_dict() for i in items], ensure_ascii=False, indent=2))
        return
    rules = deadline_rules(db.session, target.id)
    limits = ", ".join(f"{state} {r.day:02d}/{r.month:02d}" + (f" (+{r.year_offset})" if r.year_offset else "")
                       for state, r in rules.items())
    click.echo(f"Terlambat di / overdue in {target.code} ({day or 'hari ini / today'}): {len(items)}")
    click.echo(f"  batas / deadlines: {limits}")
    for i in items:
        who = f"{i.responsible_role}: {i.responsible_name}"
        click.echo(f"  #{i.evaluation_id:<6} {i.nip} {i.name[:28]:<28} {i.what:<28} batas/due {i.due_on} "
                   f"(+{i.days_late} hari/days)  -> {who}")


def register(group: click.Group) -> None:
    """Add the workflow commands to the `kinerja` group."""
    group.add_command(period_group)
    group.add_command(decide_command)
    group.add_command(overdue_command)
