"""Set-up for workflow tests: a daerah with packs installed, a four-level chain of pegawai with logins, HR,
an auditor, people of another daerah, and the 2026 period opened; helpers that drive an evaluation forward."""
from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from rules.packs import install_packs
from engine.identity import Role, RoleGrant, User
from tests.factories import make_daerah, make_pegawai, make_unit
from workflows.feedback import acknowledge_evaluation, give_feedback
from workflows.models import Evaluation, Period
from workflows.periods import open_period
from workflows.plan import approve_plan, save_plan, submit_plan
from workflows.realization import record_realisasi, submit_realization
from workflows.review import decide_evaluation, rate_perilaku

TAHUN = 2026
TODAY = dt.date(2026, 12, 15)
ALL = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif")


def plan_input(bobot=(40, 30, 30), target=12, arah="naik") -> list[dict]:
    """A complete plan: two RHK utama and one tambahan, one IKI each."""
    return [
        {"jenis": "utama", "uraian": "Layanan aplikasi e-government berjalan",
         "iki": [{"uraian": "Aplikasi yang dikembangkan", "aspek": "kuantitas", "target": target,
                  "satuan": "aplikasi", "arah": arah, "bobot": bobot[0]}]},
        {"jenis": "utama", "uraian": "Gangguan layanan ditangani cepat",
         "iki": [{"uraian": "Waktu penanganan gangguan", "aspek": "waktu", "target": 3, "satuan": "hari",
                  "arah": "turun", "bobot": bobot[1]}]},
        {"jenis": "tambahan", "uraian": "Pelatihan internal",
         "iki": [{"uraian": "Sesi pelatihan", "aspek": "kuantitas", "target": 4, "satuan": "sesi",
                  "arah": "naik", "bobot": bobot[2]}]},
    ]


def make_user(session, username: str, roles=(), pegawai=None) -> User:
    """A login without a password (no argon2 cost: these tests never sign in)."""
    user = User(username=username, full_name=username, active=True, pegawai=pegawai)
    user.grants = [RoleGrant(role=Role(r), daerah=d) for r, d in roles]
    session.add(user)
    session.flush()
    return user


def build_world(session, code: str = "palu", timezone: str = "Asia/Makassar") -> SimpleNamespace:
    """The world of a workflow test (committed) around daerah `code` (attribute names say palu whatever the
    code), with `bantul` as the other daerah (or `palu` when `code` is bantul)."""
    other_code = "palu" if code == "bantul" else "bantul"
    nasional = make_daerah(session, code="nasional", name="Nasional", level="nasional")
    palu = make_daerah(session, code=code, name=f"Daerah {code}", timezone=timezone)
    bantul = make_daerah(session, code=other_code, name=f"Daerah {other_code}", level="kabupaten")
    admin = make_user(session, username="admin", roles=[("admin", None)])
    install_packs(session, admin, names=(code, other_code))
    dinas = make_unit(session, palu, code="diskominfo", name="Diskominfo")
    bidang = make_unit(session, palu, code="diskominfo-aptika", name="Bidang Aptika", parent=dinas)
    kepala = make_pegawai(session, dinas, name="Kepala Dinas", jenis_jabatan="jpt", golongan="IV/c")
    kabid = make_pegawai(session, bidang, name="Kepala Bidang", jenis_jabatan="administrator", atasan=kepala)
    kasi = make_pegawai(session, bidang, name="Kepala Seksi", jenis_jabatan="pengawas", atasan=kabid)
    staff = make_pegawai(session, bidang, name="Pranata Komputer", jenis_jabatan="fungsional", atasan=kasi)
    peer = make_pegawai(session, bidang, name="Rekan Kerja", atasan=kasi)
    bantul_unit = make_unit(session, bantul, code="dpmptsp", name="DPMPTSP Bantul")
    bantul_staff = make_pegawai(session, bantul_unit, name="Staf Bantul")
    w = SimpleNamespace(
        nasional=nasional, palu=palu, bantul=bantul, admin=admin, dinas=dinas, bidang=bidang,
        kepala_p=kepala, kabid_p=kabid, kasi_p=kasi, staff_p=staff, peer_p=peer, bantul_staff_p=bantul_staff,
        pegawai=make_user(session, username="pegawai.palu", pegawai=staff),
        atasan=make_user(session, username="atasan.palu", pegawai=kasi),
        atasan2=make_user(session, username="atasan2.palu", pegawai=kabid),
        kepala=make_user(session, username="kepala.palu", pegawai=kepala),
        peer=make_user(session, username="rekan.palu", pegawai=peer),
        hr=make_user(session, username="hr.palu", roles=[("hr", palu)]),
        auditor=make_user(session, username="auditor.palu", roles=[("auditor", palu)]),
        policy=make_user(session, username="kebijakan.palu", roles=[("policy_maker", palu)]),
        hr_bantul=make_user(session, username="hr.bantul", roles=[("hr", bantul)]),
        bantul_pegawai=make_user(session, username="pegawai.bantul", pegawai=bantul_staff),
    )
    open_period(session, w.hr, palu, TAHUN)
    session.commit()
    w.period = session.scalar(select(Period).where(Period.daerah_id == palu.id, Period.tahun == TAHUN,
                                                   Period.jenis == "tahunan"))
    w.ev = evaluation_of(session, staff)
    return w


@pytest.fixture
def wf(session):
    """The palu world of a workflow test (committed), as attributes."""
    return build_world(session)


_staff_seq = itertools.count()


def staff_in_review(session, w, n: int, *, rate: bool = True) -> list[Evaluation]:
    """`n` more reports of the kasi, each with a login, their evaluations of the year brought to review (rated)."""
    out = []
    for _ in range(n):
        k = next(_staff_seq)
        person = make_pegawai(session, w.bidang, name=f"Staf Tambahan {k}", atasan=w.kasi_p)
        me = make_user(session, f"staf{k}.palu", pegawai=person)
        open_period(session, w.hr, w.palu, TAHUN)
        ev = evaluation_of(session, person)
        drive(session, w, ev, "review", me=me)
        if rate:
            rate_perilaku(session, w.atasan, ev, {v: "sesuai" for v in ALL})
        out.append(ev)
    session.commit()
    return out


def evaluation_of(session, pegawai, tahun: int = TAHUN) -> Evaluation:
    """The pegawai's evaluation of the year."""
    return session.scalar(select(Evaluation).join(Period).where(Evaluation.pegawai_id == pegawai.id,
                                                                Period.tahun == tahun))


def realise_all(session, w, ev, factor: float = 1.0, day: dt.date = dt.date(2026, 11, 30), me=None) -> None:
    """Record a realisasi for every IKI: target x factor (naik), target / factor (turun)."""
    for iki in list(ev.iki):
        value = iki.target * factor if iki.arah == "naik" else iki.target / factor
        record_realisasi(session, me or w.pegawai, ev, iki.id, round(value, 2),
                         day, note="laporan", evidence_url="https://drive.example.go.id/bukti", today=TODAY)


STEPS = ("plan_submitted", "plan_approved", "realization", "review", "decided", "feedback", "follow_up")


def drive(session, w, ev, until: str, *, perilaku: str = "sesuai", factor: float = 1.0, me=None) -> Evaluation:
    """Move an evaluation of one of the kasi's reports forward (as `me`, default the staff member, and the kasi as
    atasan), up to `until` (a state or 'decided')."""
    me = me or w.pegawai
    target = STEPS.index(until)
    if ev.state == "plan_draft":
        save_plan(session, me, ev, plan_input())
        submit_plan(session, me, ev)
    if target >= 1 and ev.state == "plan_submitted":
        approve_plan(session, w.atasan, ev)
    if target >= 2 and ev.state == "plan_approved":
        realise_all(session, w, ev, factor, me=me)
    if target >= 3 and ev.state == "realization":
        submit_realization(session, me, ev)
    if target >= 4 and ev.state == "review" and ev.decision_id is None:
        rate_perilaku(session, w.atasan, ev, {v: perilaku for v in ALL})
        decide_evaluation(session, w.atasan, ev)
    if target >= 5 and ev.state == "review":
        give_feedback(session, w.atasan, ev, "Pertahankan kinerja; perbaiki dokumentasi.")
    if target >= 6 and ev.state == "feedback":
        acknowledge_evaluation(session, me, ev)
    session.commit()
    return ev
