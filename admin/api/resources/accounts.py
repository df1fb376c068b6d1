"""Pegawai accounts for the HR systems around Kinerja: create logins (username = NIP, no password) with one-time
activation codes, and reissue a code for a forgotten password. The same services as the console's *Akun pegawai*."""
from __future__ import annotations

from flask import url_for

from admin.api.core import ApiBlueprint, actor
from admin.api.lookup import daerah_by_code, not_found, unit_by_id
from admin.api.schemas.accounts import AccountsCreatedSchema, AccountsCreateSchema, IssuedCodeSchema, ReissueSchema
from admin.extensions import db
from engine.accounts import account_of_nip, create_pegawai_accounts, reissue_activation
from engine.permissions import read_scope

blp = ApiBlueprint("akun_pegawai", __name__, description="Akun pegawai dan kode aktivasi / employee accounts and "
                   "activation codes")


@blp.route("/accounts", methods=["POST"])
@blp.arguments(AccountsCreateSchema)
@blp.response(201, AccountsCreatedSchema)
def create_accounts(data):
    """HR creates a login for every aktif pegawai of the daerah (or unit subtree) without one; the codes are in
    this answer only."""
    daerah = daerah_by_code(data["daerah"], "accounts", "daerah")
    unit = unit_by_id(data["unit_id"], "unit_id") if data.get("unit_id") else None
    issued, skipped = create_pegawai_accounts(db.session, actor(), daerah, unit)
    return {"created": len(issued), "skipped": skipped, "accounts": issued,
            "activation_url": url_for("activation.activate_account", _external=True)}


@blp.route("/accounts/reissue", methods=["POST"])
@blp.arguments(ReissueSchema)
@blp.response(200, IssuedCodeSchema)
def reissue(data):
    """A new activation code for a pegawai's own account; their old password stops working."""
    user = account_of_nip(db.session, data["nip"])
    if user is None or not read_scope(actor(), "accounts").allows(user.pegawai.daerah_id):
        raise not_found("pegawai", "nip")
    return reissue_activation(db.session, actor(), user)
