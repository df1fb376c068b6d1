"""`kinerja accounts create`: logins for the pegawai of a daerah (or a unit subtree) that have none, with their
one-time activation codes written to a new file only the running user can read."""
from __future__ import annotations

import os
import sys

import click
from flask.cli import AppGroup

from admin.cli_rules import acting_user, fail, find_daerah, user_option
from admin.cli_workflows import find_unit
from admin.extensions import db
from engine.accounts import ACTIVATION_DAYS, codes_csv, create_pegawai_accounts
from engine.runtime.errors import EngineError

HEADER = ["NIP", "Nama / Name", "Unit kerja / Work unit", "Nama pengguna / Username",
          "Kode aktivasi / Activation code", "Berlaku sampai / Valid until (UTC)", "Halaman aktivasi / Activation page"]

accounts_group = AppGroup("accounts", help="Akun pegawai / employee accounts.")


@accounts_group.command("create", help=(
    "Create an account (username = NIP, no password yet) with a one-time activation code for every pegawai without "
    f"one; the codes go to --out only (valid {ACTIVATION_DAYS} days)."))
@click.option("--daerah", required=True, help="Daerah code, e.g. palu.")
@click.option("--unit", default=None, help="Only this unit kerja and the units below it (code).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="New CSV file for the activation codes (refused if it exists; readable by you only).")
@click.option("--activation-url", default="/aktivasi", show_default=True,
              help="Address of the activation page printed in the file, e.g. https://kinerja.example.go.id/aktivasi.")
@user_option
def create_command(daerah: str, unit: str | None, out: str, activation_url: str, username: str) -> None:
    """Create the accounts and write their codes to --out."""
    user = acting_user(username)
    target = find_daerah(daerah)
    scope = find_unit(target, unit)
    try:
        handle = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        click.echo(f"Berkas tidak dapat dibuat / cannot create the file {out}: {error.strerror}", err=True)
        sys.exit(2)
    try:
        issued, skipped = create_pegawai_accounts(db.session, user, target, scope)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(codes_csv(issued, HEADER, activation_url))
    except BaseException as error:  # no file of codes is left behind when nothing was created
        db.session.rollback()
        os.remove(out)
        if isinstance(error, EngineError):
            fail(error)
        raise
    db.session.commit()
    for nip in skipped:
        click.echo(f"  dilewati / skipped {nip}: nama pengguna dipakai akun lain / username taken by another account")
    click.echo(f"Akun / accounts {target.code}{' ' + scope.code if scope else ''}: +{len(issued):,} baru / new, "
               f"{len(skipped):,} dilewati / skipped; kode aktivasi / activation codes -> {out}")


def register(group: click.Group) -> None:
    """Add the account commands to the `kinerja` group."""
    group.add_command(accounts_group)
