"""`kinerja evaluate` and `kinerja rules export|import|validate|publish|diff|install`."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from admin.converters import MAX_ID as MAX_INT, digits
from admin.extensions import db
from engine.audit import set_actor
from engine.identity import User
from engine.organisation import Daerah
from engine.runtime import dump_json, dump_yaml, load_document
from engine.runtime.errors import EngineError
from engine.runtime.values import type_name
from rules.models import RuleKind

KINDS = click.Choice([k.value for k in RuleKind])
user_option = click.option("--user", "username", default="admin", show_default=True,
                           help="Acting user (permissions and audit rows are theirs).")


#: a version number: 1 .. the largest INTEGER id (a larger one cannot name a row; SQLite overflowed on it)
VERSION_NUMBER = click.IntRange(1, MAX_INT)


def fail(error: EngineError) -> None:
    """Print a kernel error in both languages with its located problems, and exit 1."""
    click.echo(f"GAGAL / FAILED: {error.message_id} / {error.message_en}", err=True)
    for p in error.problems[:50]:
        click.echo(f"  - {p.path}: {p.message_id} / {p.message_en}", err=True)
    sys.exit(1)


def acting_user(username: str) -> User:
    """The user a command acts as."""
    user = db.session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if user is None:
        click.echo(f"Pengguna tidak dikenal / unknown user: {username}", err=True)
        sys.exit(2)
    set_actor(db.session, user)
    return user


def find_daerah(code: str) -> Daerah:
    """The daerah with this code, or a clear exit."""
    daerah = db.session.scalar(select(Daerah).where(Daerah.code == code))
    if daerah is None:
        codes = ", ".join(db.session.scalars(select(Daerah.code).order_by(Daerah.code)))
        click.echo(f"Daerah tidak dikenal / unknown daerah: {code} (ada / known: {codes})", err=True)
        sys.exit(2)
    return daerah


def _read_document(path: str) -> dict:
    try:
        doc = load_document(Path(path))
    except EngineError as error:
        fail(error)
    except (OSError, ValueError) as error:
        click.echo(f"Berkas tidak dapat dibaca / cannot read file {path}: {error}", err=True)
        sys.exit(2)
    if not isinstance(doc, dict):  # an empty file, a list, a number: nothing a command can use
        click.echo(f"GAGAL / FAILED: {path} harus berisi objek JSON/YAML (kunci: nilai), bukan {type_name(doc)[0]} / "
                   f"must hold a JSON/YAML object (key: value), not {type_name(doc)[1]}; tidak ada yang disimpan / "
                   "nothing was saved", err=True)
        sys.exit(1)
    return doc


def _parse_pins(values: tuple[str, ...]) -> dict[str, int]:
    pins = {}
    for value in values:
        kind, _, number = value.rpartition("=")
        kind = kind or "scoring"
        if kind not in {k.value for k in RuleKind} or not digits(number) \
                or not 0 < int(number) <= MAX_INT:
            raise click.BadParameter(f"'{value}': pakai N atau KIND=N / use N or KIND=N (KIND: scoring, "
                                     "reward_punishment, coaching)", param_hint="--version")
        pins[kind] = int(number)
    return pins


@click.command("evaluate")
@with_appcontext
@click.option("--daerah", required=True, help="Daerah code, e.g. palu.")
@click.option("--facts", "facts_path", required=True, type=click.Path(dir_okay=False),
              help="Facts document (JSON or YAML), see docs/rules.md.")
@click.option("--version", "versions", multiple=True,
              help="Pin a version: N (scoring) or KIND=N; default: the versions in force.")
@click.option("--on", "on", default=None, help="Date the rules must be in force (YYYY-MM-DD); default: end of periode.tahun.")
@user_option
def evaluate_command(daerah: str, facts_path: str, versions: tuple[str, ...], on: str | None, username: str) -> None:
    """Decide one facts document and print the decision as JSON (nothing is stored)."""
    from rules.decisions import run, versions_for

    acting_user(username)
    target = find_daerah(daerah)
    facts = _read_document(facts_path)
    try:
        day = dt.date.fromisoformat(on) if on else dt.date(int(facts.get("periode", {}).get("tahun", dt.date.today().year)), 12, 31)
    except (TypeError, ValueError):
        raise click.BadParameter("tanggal YYYY-MM-DD / date YYYY-MM-DD", param_hint="--on")
    try:
        result = run(facts, versions_for(db.session, target, day, _parse_pins(versions)))
    except EngineError as error:
        fail(error)
    out = {k: result["outputs"].get(k) for k in ("predikat", "rating_hasil_kerja", "rating_perilaku")}
    out |= {"capaian": result["capaian"], "actions": result["actions"], "trace": result["trace"],
            "explanation": result["explanation"], "versions": result["rule_versions"], "outputs": result["outputs"]}
    click.echo(json.dumps(out, ensure_ascii=False, indent=2, sort_keys=False))


rules_group = AppGroup("rules", help="Rule sets and versions: export, import, validate, publish, diff, install.")


def _version(daerah: str, kind: str, number: int | None, user: User):
    from rules.versions import get_version

    try:
        return get_version(db.session, user, daerah, kind, number)
    except EngineError as error:
        fail(error)


@rules_group.command("export")
@click.option("--daerah", required=True)
@click.option("--kind", type=KINDS, default="scoring", show_default=True)
@click.option("--version", "number", type=VERSION_NUMBER, default=None, help="Version number (default: latest).")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="File to write (default: stdout).")
@click.option("--resolved", is_flag=True,
              help="Export the rule set as it applies: merged over its baseline, each rule with its origin.")
@user_option
def export_command(daerah, kind, number, fmt, out, resolved, username):
    """Export a version's document as YAML or JSON."""
    from rules.versions import resolved_document

    version = _version(daerah, kind, number, acting_user(username))
    doc = resolved_document(version) if resolved else version.document
    text = dump_yaml(doc) if fmt == "yaml" else dump_json(doc)
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as error:
            click.echo(f"Berkas tidak dapat ditulis / cannot write the file {out}: {error.strerror}", err=True)
            sys.exit(2)
        click.echo(f"{version.label} -> {out}")
    else:
        click.echo(text)


@rules_group.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--daerah", required=True)
@click.option("--kind", type=KINDS, default="scoring", show_default=True)
@click.option("--note", default="", help="Change note.")
@user_option
def import_command(path, daerah, kind, note, username):
    """Import a document as a new draft (saved even if invalid; problems are listed)."""
    from rules.packs import NASIONAL, ensure_rule_set
    from rules.versions import create_draft, in_force, version_problems

    user = acting_user(username)
    target = find_daerah(daerah)
    doc = _read_document(path)
    try:
        rule_set = ensure_rule_set(db.session, target, RuleKind(kind))
        base = None
        if target.code != NASIONAL and isinstance(doc, dict) and doc.get("extends"):
            nasional = find_daerah(NASIONAL)
            base = in_force(db.session, nasional.id, kind, dt.date.today())
        version = create_draft(db.session, user, rule_set, document=doc, extends=base, change_note=note)
        problems = version_problems(version)
        db.session.commit()
    except EngineError as error:
        db.session.rollback()
        fail(error)
    click.echo(f"Draf / draft {version.label} disimpan / saved; {len(problems)} masalah / problems.")
    for p in problems[:50]:
        click.echo(f"  - {p.path}: {p.message_id} / {p.message_en}")


@rules_group.command("validate")
@click.option("--daerah", default=None)
@click.option("--kind", type=KINDS, default="scoring", show_default=True)
@click.option("--version", "number", type=VERSION_NUMBER, default=None)
@click.option("--file", "path", type=click.Path(dir_okay=False), default=None,
              help="Validate a file instead of a stored version (a daerah pack is resolved over nasional).")
@user_option
def validate_command(daerah, kind, number, path, username):
    """List every problem of a version or file; exit 1 when there is any."""
    from engine.runtime import load_pack, resolve, validate_document
    from rules.packs import PACKS_DIR
    from rules.versions import version_problems

    if path:
        doc = _read_document(path)
        try:
            resolved = resolve(load_pack("nasional", PACKS_DIR), doc) if isinstance(doc, dict) and doc.get("extends") \
                else resolve(doc, None)
            problems = validate_document(resolved)
        except EngineError as error:
            fail(error)
        label = path
    else:
        if not daerah:
            raise click.UsageError("--daerah atau --file wajib / --daerah or --file is required")
        version = _version(daerah, kind, number, acting_user(username))
        problems, label = version_problems(version), version.label
    if not problems:
        click.echo(f"{label}: valid")
        return
    click.echo(f"{label}: {len(problems)} masalah / problems", err=True)
    for p in problems:
        click.echo(f"  - {p.path}: {p.message_id} / {p.message_en}", err=True)
    sys.exit(1)


@rules_group.command("publish")
@click.option("--daerah", required=True)
@click.option("--kind", type=KINDS, default="scoring", show_default=True)
@click.option("--version", "number", type=VERSION_NUMBER, required=True)
@click.option("--legal-basis", required=True, help="Perkada / Perwal / Perbup number.")
@click.option("--from", "start", required=True, help="Effective from (YYYY-MM-DD).")
@click.option("--to", "end", default=None, help="Effective to (YYYY-MM-DD), optional.")
@click.option("--note", default="", help="Change note.")
@user_option
def publish_command(daerah, kind, number, legal_basis, start, end, note, username):
    """Publish a draft: frozen, hashed, effective from a date."""
    from rules.versions import publish_version

    user = acting_user(username)
    version = _version(daerah, kind, number, user)
    try:
        begin = dt.date.fromisoformat(start)
        finish = dt.date.fromisoformat(end) if end else None
    except ValueError:
        raise click.BadParameter("tanggal YYYY-MM-DD / date YYYY-MM-DD")
    try:
        publish_version(db.session, user, version, legal_basis=legal_basis, effective_from=begin,
                        effective_to=finish, change_note=note)
        db.session.commit()
    except EngineError as error:
        db.session.rollback()
        fail(error)
    click.echo(f"{version.label} terbit / published: {version.content_hash}")


@rules_group.command("diff")
@click.option("--daerah", required=True)
@click.option("--kind", type=KINDS, default="scoring", show_default=True)
@click.argument("old", type=VERSION_NUMBER)
@click.argument("new", type=VERSION_NUMBER)
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@user_option
def diff_command(daerah, kind, old, new, lang, username):
    """Rule-level differences between two versions."""
    from rules.versions import diff_versions

    user = acting_user(username)
    lines = diff_versions(_version(daerah, kind, old, user), _version(daerah, kind, new, user))
    if not lines:
        click.echo("Tidak ada perbedaan / no differences")
    for line in lines:
        click.echo(f"{line['path']}: {line[lang]}")


@rules_group.command("install")
@user_option
def install_command(username):
    """Install the shipped packs (nasional and the five daerah) as published versions (idempotent)."""
    from rules.packs import install_packs

    user = acting_user(username)
    try:
        installed = install_packs(db.session, user)
        db.session.commit()
    except EngineError as error:
        db.session.rollback()
        fail(error)
    click.echo(f"{len(installed)} versi terpasang / versions installed.")


def register(group: click.Group) -> None:
    """Add the commands to the `kinerja` group."""
    group.add_command(evaluate_command)
    group.add_command(rules_group)
