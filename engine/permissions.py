"""Permission checks shared by the console and the API: role and daerah scope, decided in one place."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine.identity import Role, User
from engine.runtime.errors import NotAllowed

#: Which granted roles may change each kind of record (rules: drafting and publishing).
MASTER_WRITE = {
    "daerah": {Role.admin},
    "unit_kerja": {Role.admin, Role.hr},
    "pegawai": {Role.admin, Role.hr},
    "users": {Role.admin},
    "accounts": {Role.admin, Role.hr},  # pegawai's own logins: create with an activation code, reissue a code
    "rules": {Role.admin, Role.policy_maker},
    "decisions": {Role.admin, Role.hr},
}
MASTER_READ = {
    "daerah": {Role.admin, Role.hr, Role.policy_maker, Role.auditor},
    "unit_kerja": {Role.admin, Role.hr, Role.policy_maker, Role.auditor},
    "pegawai": {Role.admin, Role.hr, Role.policy_maker, Role.auditor},
    "users": {Role.admin, Role.hr, Role.auditor},
    "accounts": {Role.admin, Role.hr},
    "rules": {Role.admin, Role.policy_maker, Role.hr, Role.auditor},
    "decisions": {Role.admin, Role.policy_maker, Role.hr, Role.auditor},
    "audit": {Role.admin, Role.auditor},
}


@dataclass(frozen=True)
class Scope:
    """The daerah a user may reach for a purpose: every daerah (`everywhere`) or the listed ids."""

    everywhere: bool
    daerah_ids: frozenset[int]

    def allows(self, daerah_id: int | None) -> bool:
        """True when a record of `daerah_id` is inside this scope."""
        return self.everywhere or (daerah_id is not None and daerah_id in self.daerah_ids)


def roles_of(user: User) -> set[str]:
    """Every role the user holds, including `pegawai` and `atasan` derived from the pegawai link."""
    roles = {g.role for g in user.grants}
    if user.pegawai is not None:
        roles.add("pegawai")
        if user.pegawai.bawahan:
            roles.add("atasan")
    return roles


def scope_for(user: User, roles: set[Role]) -> Scope:
    """The daerah reachable by `user` through any of `roles`."""
    if not user.active:
        return Scope(False, frozenset())
    ids: set[int] = set()
    for grant in user.grants:
        if grant.role in roles:
            if grant.daerah_id is None:
                return Scope(True, frozenset())
            ids.add(grant.daerah_id)
    return Scope(False, frozenset(ids))


def home_daerah_ids(user: User) -> set[int]:
    """Daerah the user belongs to, through a grant or a pegawai link."""
    ids = {g.daerah_id for g in user.grants if g.daerah_id is not None}
    if user.pegawai is not None:
        ids.add(user.pegawai.daerah_id)
    return ids


def read_scope(user: User, entity: str) -> Scope:
    """Where `user` may read master records of `entity`."""
    return scope_for(user, MASTER_READ[entity])


def write_scope(user: User, entity: str) -> Scope:
    """Where `user` may create, change or delete master records of `entity`."""
    return scope_for(user, MASTER_WRITE[entity])


def require_write(session: Session, user: User, entity: str, daerah_id: int | None) -> None:
    """Raise NotAllowed unless `user` may change a record of `entity` in `daerah_id`."""
    if not write_scope(user, entity).allows(daerah_id):
        raise NotAllowed(
            "Anda tidak berwenang mengubah data ini untuk daerah tersebut.",
            "You are not allowed to change this record for that daerah.", code="forbidden")


def require_read(session: Session, user: User, entity: str, daerah_id: int | None) -> None:
    """Raise NotAllowed unless `user` may read a record of `entity` in `daerah_id`."""
    if not read_scope(user, entity).allows(daerah_id):
        raise NotAllowed("Anda tidak berwenang membuka data ini.", "You are not allowed to open this record.",
                         code="forbidden")
