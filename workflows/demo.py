"""Demo data: `nasional` and the five daerah of the source documents, with units, pegawai and logins (idempotent)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit import set_actor
from engine.demo_org import demo_tenants
from engine.identity import Role, RoleGrant, User
from engine.organisation import Daerah, Pegawai, UnitKerja
from rules.packs import install_packs

DEMO_PASSWORD = "kinerja-demo"
STAFF_ROLES = (("kebijakan", Role.policy_maker), ("hr", Role.hr), ("auditor", Role.auditor))


@dataclass
class DemoReport:
    """What a demo load created (zero everywhere on a second run)."""

    daerah: int = 0
    units: int = 0
    pegawai: int = 0
    users: int = 0
    rule_versions: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)


def demo_logins() -> list[tuple[str, str]]:
    """Every demo login with what it is for, in a stable order."""
    rows = [("admin", "administrator, semua daerah / all daerah")]
    for tenant in demo_tenants():
        if tenant["level"] == "nasional":
            continue
        code = tenant["code"]
        rows += [(f"kebijakan.{code}", "perumus kebijakan / policy maker"), (f"hr.{code}", "kepegawaian / HR"),
                 (f"auditor.{code}", "auditor")]
        for p in tenant["pegawai"]:
            if p.get("username"):
                rows.append((p["username"], f"pegawai: {p['name']} ({p['jabatan']})"))
    return rows


def is_empty(session: Session) -> bool:
    """True when no daerah exists yet."""
    return session.scalar(select(Daerah.id).limit(1)) is None


def _user(session: Session, report: DemoReport, username: str, full_name: str, password_hash: str,
          grants: list[tuple[Role, Daerah | None]], pegawai: Pegawai | None = None) -> None:
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        return
    user = User(username=username, full_name=full_name, password_hash=password_hash, active=True, pegawai=pegawai)
    user.grants = [RoleGrant(role=role, daerah=daerah) for role, daerah in grants]
    session.add(user)
    report.users += 1


def load_demo(session: Session) -> DemoReport:
    """Create whatever of the demo data is missing; flushes, the caller commits."""
    set_actor(session, "system:demo")
    report = DemoReport(logins=demo_logins())
    probe = User(username="-")
    probe.set_password(DEMO_PASSWORD)  # one argon2 hash for every demo login: same password, same cost once
    password_hash = probe.password_hash
    for tenant in demo_tenants():
        daerah = session.scalar(select(Daerah).where(Daerah.code == tenant["code"]))
        if daerah is None:
            daerah = Daerah(code=tenant["code"], name=tenant["name"], level=tenant["level"],
                            timezone=tenant["timezone"])
            session.add(daerah)
            session.flush()
            report.daerah += 1
        units = {u.code: u for u in session.scalars(select(UnitKerja).where(UnitKerja.daerah_id == daerah.id))}
        pending = list(tenant["units"])
        while pending:  # parents first, whatever the order in the data
            progressed = False
            for spec in list(pending):
                if spec.get("parent_code") and spec["parent_code"] not in units:
                    continue
                if spec["code"] not in units:
                    unit = UnitKerja(daerah=daerah, code=spec["code"], name=spec["name"],
                                     parent=units.get(spec.get("parent_code")))
                    session.add(unit)
                    units[spec["code"]] = unit
                    report.units += 1
                pending.remove(spec)
                progressed = True
            if not progressed:
                raise ValueError(f"demo data: unit parents missing in {tenant['code']}: {pending}")
        session.flush()
        people = {p.nip: p for p in session.scalars(select(Pegawai).where(Pegawai.daerah_id == daerah.id))}
        for spec in tenant["pegawai"]:
            if spec["nip"] not in people:
                person = Pegawai(daerah=daerah, nip=spec["nip"], name=spec["name"], jabatan=spec["jabatan"],
                                 jenis_jabatan=spec["jenis_jabatan"], golongan=spec["golongan"],
                                 unit=units[spec["unit_code"]])
                session.add(person)
                people[spec["nip"]] = person
                report.pegawai += 1
        session.flush()
        for spec in tenant["pegawai"]:
            person = people[spec["nip"]]
            atasan = people.get(spec.get("atasan_nip")) if spec.get("atasan_nip") else None
            if atasan is not None and person.atasan_id is None:
                person.atasan = atasan
        session.flush()
        if tenant["level"] == "nasional":
            continue
        for prefix, role in STAFF_ROLES:
            _user(session, report, f"{prefix}.{daerah.code}", f"{prefix.capitalize()} {daerah.name}", password_hash,
                  [(role, daerah)])
        for spec in tenant["pegawai"]:
            if spec.get("username"):
                _user(session, report, spec["username"], spec["name"], password_hash, [], people[spec["nip"]])
    _user(session, report, "admin", "Administrator Kinerja", password_hash, [(Role.admin, None)])
    session.flush()
    admin = session.scalar(select(User).where(User.username == "admin"))
    report.rule_versions = len(install_packs(session, admin))
    set_actor(session, "system:demo")
    return report


@dataclass
class FullDemoReport:
    """What `load_full_demo` did: the organisation, the lifecycle and the transparency data."""

    base: DemoReport
    evaluations_driven: int
    decisions: int
    public: dict


def load_full_demo(session: Session, today: dt.date) -> FullDemoReport:
    """The whole demo (idempotent; flushes, the caller commits): organisation, logins and rule packs; citizen
    survey responses (so the index feeds the decisions); last year closed and this year in every state."""
    from workflows.demo_lifecycle import load_demo_lifecycle
    from workflows.public_report import load_demo_public

    base = load_demo(session)
    public = load_demo_public(session, today)
    lifecycle = load_demo_lifecycle(session, today)
    return FullDemoReport(base, lifecycle.evaluations_driven, lifecycle.decisions, public)
