"""The caller (`/me`) and their personal tokens (list, revoke; tokens are created in the console)."""
from __future__ import annotations

from flask import g
from sqlalchemy import select

from admin.api.core import ApiBlueprint, actor
from admin.api.schemas.common import LangQuery
from admin.api.schemas.meta import MeSchema, TokenSchema
from admin.extensions import db
from engine.api_tokens import get_token, list_tokens, revoke_token
from engine.organisation import Daerah
from engine.permissions import home_daerah_ids, roles_of

blp = ApiBlueprint("akun", __name__, description="Pengguna dan token API / the caller and API tokens")


@blp.route("/me", methods=["GET"])
@blp.arguments(LangQuery, location="query")
@blp.response(200, MeSchema)
def me(args):
    """The user behind the token, their roles and daerah."""
    user = actor()
    ids = home_daerah_ids(user)
    codes = db.session.scalars(select(Daerah.code).where(Daerah.id.in_(ids or {-1})).order_by(Daerah.code)).all()
    return {"username": user.username, "full_name": user.full_name or "", "roles": sorted(roles_of(user)),
            "everywhere": any(gr.daerah_id is None for gr in user.grants), "daerah": list(codes),
            "pegawai": user.pegawai, "token": g.api_token}


@blp.route("/tokens", methods=["GET"])
@blp.arguments(LangQuery, location="query")
@blp.response(200, TokenSchema(many=True))
def tokens(args):
    """The caller's own tokens, newest first."""
    return list_tokens(db.session, actor())


@blp.route("/tokens/<int(max=2147483647):token_id>", methods=["DELETE"])
@blp.response(204)
def revoke(token_id):
    """Revoke one of the caller's tokens (it stops working at once; revoking the one in use is allowed)."""
    revoke_token(db.session, actor(), get_token(db.session, actor(), token_id))
