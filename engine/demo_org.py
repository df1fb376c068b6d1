"""Deterministic demo organisation data (tenants, unit kerja, pegawai) as plain dicts, for seeding and tests.

Six tenants: ``nasional`` (the PermenPANRB 6/2022 rule pack, no units or pegawai) and five daerah whose unit kerja
come from the seed documents: ``palangkaraya`` (Dinas Pendidikan, Dinas Kependudukan dan Pencatatan Sipil),
``kemuning`` (Dinas Kesehatan with its Puskesmas), ``palu`` (dinas running e-Kinerja: Diskominfo, Dinas Kesehatan,
DPMPTSP, Bagian Organisasi for pelayanan publik), ``pontianak`` (Dinas Pendidikan dan Kebudayaan, Dinas Kesehatan
with its Puskesmas) and ``bantul`` (Puskesmas, Dinas Pendidikan with its sekolah, DPMPTSP for perizinan); every
daerah also has a Sekretariat Daerah as top unit, a Bagian Organisasi and a BKPSDM. Unit hierarchy:
Sekretariat Daerah -> dinas/badan/bagian -> sekretariat/bidang/UPTD Puskesmas/sekolah. Seksi and subbagian are
not units: their heads and staff belong to the bidang/sekretariat unit.

Supervision (``atasan_nip``): Sekretaris Daerah (JPT, no atasan) -> kepala dinas/badan (JPT) -> sekretaris dinas /
kepala bidang (administrator) -> kepala seksi / subbagian / subbidang (pengawas) -> pelaksana and fungsional.
Kepala UPTD Puskesmas (pengawas) and kepala sekolah (fungsional guru) report to their kepala dinas. The pegawai
list is ordered so that every atasan precedes the pegawai he or she supervises.

Logins (``username``; every other pegawai has ``None``), for each daerah D:

* ``pegawai.D``: a pelaksana or fungsional staff member; its atasan is ``atasan.D``.
* ``atasan.D``: that staff member's direct atasan, a kepala seksi (pengawas); its atasan is ``atasan2.D``.
* ``atasan2.D``: the atasan's atasan, the kepala bidang (administrator) above that seksi.

* palangkaraya (Dinas Kependudukan dan Pencatatan Sipil): pegawai = Penata Layanan Operasional (pelaksana);
  atasan = Kepala Seksi Identitas Penduduk; atasan2 = Kepala Bidang Pelayanan Pendaftaran Penduduk.
* kemuning (Dinas Kesehatan): pegawai = Epidemiolog Kesehatan Ahli Pertama (fungsional);
  atasan = Kepala Seksi Surveilans dan Imunisasi; atasan2 = Kepala Bidang Pencegahan dan Pengendalian Penyakit.
* palu (Dinas Komunikasi, Informatika, Persandian dan Statistik): pegawai = Pranata Komputer Ahli Pertama
  (fungsional); atasan = Kepala Seksi Pengembangan Aplikasi dan Layanan e-Government;
  atasan2 = Kepala Bidang Aplikasi Informatika.
* pontianak (Dinas Kesehatan): pegawai = Administrator Kesehatan Ahli Pertama (fungsional);
  atasan = Kepala Seksi Pelayanan Kesehatan Primer dan Tradisional; atasan2 = Kepala Bidang Pelayanan Kesehatan.
* bantul (DPMPTSP): pegawai = Penata Layanan Operasional (pelaksana); atasan = Kepala Seksi Perizinan Usaha;
  atasan2 = Kepala Bidang Pelayanan Perizinan dan Nonperizinan.

`demo_logins()` gives their names and NIPs. Everything is generated from fixed per-daerah seeds
(``random.Random(seed)``) and fixed reference years, never from the clock, so two runs give equal data. All
NIPs pass `engine.nip.parse_nip` and are unique across daerah.
"""
from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass, field
from datetime import date

from engine.nip import parse_nip

# The year the demo data describes; TMT CPNS and ages are computed from it, never from the clock.
REFERENCE_YEAR = 2025

LOGIN_ROLES = ("pegawai", "atasan", "atasan2")

_RANKS = ("II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d",
          "IV/a", "IV/b", "IV/c", "IV/d", "IV/e")

# --------------------------------------------------------------------------------------------------------------
# Organisation specs
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    code: str
    name: str
    parent: str | None
    kind: str                      # root | opd | bagian | sekretariat | bidang | uptd | sekolah
    groups: tuple[tuple[str | None, tuple[str, ...]], ...] = ()
    sector: str | None = None      # title pool for structural heads; inherited from the parent when None


def _u(code: str, name: str, parent: str | None, kind: str, *groups: tuple[str | None, tuple[str, ...]],
       sector: str | None = None) -> _Unit:
    return _Unit(code, name, parent, kind, tuple(groups), sector)


def _g(name: str | None, *staff: str) -> tuple[str | None, tuple[str, ...]]:
    """A seksi/subbagian (or None: staff report to the unit head); a trailing ``*`` marks the pegawai login."""
    return name, tuple(staff)


@dataclass(frozen=True)
class _Daerah:
    code: str
    name: str
    level: str
    timezone: str
    seed: int
    ethnic_mix: tuple[tuple[str, int], ...]
    units: tuple[_Unit, ...] = field(default_factory=tuple)


def _common(daerah: str, setda_sector: str = "pemerintahan") -> list[_Unit]:
    """Sekretariat Daerah, Bagian Organisasi and BKPSDM, present in every daerah."""
    return [
        _u("setda", f"Sekretariat Daerah {daerah}", None, "root", sector=setda_sector),
        _u("bag-organisasi", "Bagian Organisasi", "setda", "bagian",
           _g("Subbagian Kelembagaan dan Analisis Jabatan", "Analis Kebijakan Ahli Pertama",
              "Pengolah Data dan Informasi"),
           _g("Subbagian Reformasi Birokrasi dan Akuntabilitas Kinerja", "Analis Kebijakan Ahli Muda",
              "Pengadministrasi Perkantoran")),
        _u("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "setda", "opd",
           sector="kepegawaian"),
        _u("bkpsdm-pkap", "Bidang Penilaian Kinerja Aparatur dan Penghargaan", "bkpsdm", "bidang",
           _g("Subbidang Penilaian Kinerja Aparatur", "Analis SDM Aparatur Ahli Pertama",
              "Analis SDM Aparatur Ahli Muda", "Pengolah Data dan Informasi"),
           _g("Subbidang Penghargaan dan Disiplin", "Analis SDM Aparatur Ahli Pertama",
              "Pengadministrasi Perkantoran")),
    ]


_DAERAH: tuple[_Daerah, ...] = (
    _Daerah(
        "palangkaraya", "Kota Palangka Raya", "kota", "Asia/Jakarta", 6271,
        (("dayak", 40), ("banjar", 25), ("jawa", 25), ("tionghoa", 5), ("batak", 5)),
        tuple(_common("Kota Palangka Raya") + [
            _u("bkpsdm-mutasi", "Bidang Mutasi dan Promosi", "bkpsdm", "bidang",
               _g("Subbidang Mutasi Jabatan", "Penelaah Teknis Kebijakan", "Pengadministrasi Perkantoran")),
            _u("disdik", "Dinas Pendidikan", "setda", "opd", sector="pendidikan"),
            _u("disdik-sekretariat", "Sekretariat Dinas Pendidikan", "disdik", "sekretariat",
               _g("Subbagian Umum dan Kepegawaian", "Pengadministrasi Perkantoran", "Pengelola Layanan Operasional"),
               _g("Subbagian Perencanaan dan Keuangan", "Penata Layanan Operasional")),
            _u("disdik-gtk", "Bidang Guru dan Tenaga Kependidikan", "disdik", "bidang",
               _g("Seksi Pendidik dan Tenaga Kependidikan", "Penelaah Teknis Kebijakan",
                  "Pengolah Data dan Informasi")),
            _u("disdik-sd", "Bidang Pembinaan Sekolah Dasar", "disdik", "bidang",
               _g("Seksi Kurikulum dan Penilaian", "Pengembang Teknologi Pembelajaran Ahli Pertama",
                  "Pengolah Data dan Informasi"),
               _g("Seksi Kelembagaan dan Sarana Prasarana", "Penata Layanan Operasional")),
            _u("sdn-4-langkai", "SD Negeri 4 Langkai", "disdik", "sekolah",
               _g(None, "Guru Ahli Pertama", "Guru Ahli Muda", "Guru Ahli Pertama", "Pengadministrasi Perkantoran")),
            _u("smpn-1-palangkaraya", "SMP Negeri 1 Palangka Raya", "disdik", "sekolah",
               _g(None, "Guru Ahli Muda", "Guru Ahli Pertama", "Guru Ahli Madya", "Guru Ahli Pertama")),
            _u("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "setda", "opd", sector="kependudukan"),
            _u("disdukcapil-sekretariat", "Sekretariat Dinas Kependudukan dan Pencatatan Sipil", "disdukcapil",
               "sekretariat",
               _g("Subbagian Umum dan Kepegawaian", "Pengadministrasi Perkantoran", "Operator Layanan Operasional")),
            _u("disdukcapil-dafduk", "Bidang Pelayanan Pendaftaran Penduduk", "disdukcapil", "bidang",
               _g("Seksi Identitas Penduduk", "Penata Layanan Operasional*", "Operator Layanan Operasional",
                  "Pengolah Data dan Informasi"),
               _g("Seksi Pindah Datang Penduduk", "Pengadministrasi Perkantoran", "Operator Layanan Operasional")),
            _u("disdukcapil-capil", "Bidang Pelayanan Pencatatan Sipil", "disdukcapil", "bidang",
               _g("Seksi Kelahiran dan Kematian", "Pengelola Layanan Operasional", "Operator Layanan Operasional"),
               _g("Seksi Perkawinan dan Perceraian", "Pengadministrasi Perkantoran")),
            _u("disdukcapil-piak", "Bidang Pengelolaan Informasi Administrasi Kependudukan", "disdukcapil",
               "bidang",
               _g("Seksi Sistem Informasi Administrasi Kependudukan",
                  "Administrator Database Kependudukan Ahli Pertama", "Pranata Komputer Terampil")),
        ]),
    ),
    _Daerah(
        "kemuning", "Kabupaten Kemuning", "kabupaten", "Asia/Jakarta", 1404,
        (("melayu_riau", 35), ("jawa", 25), ("bugis", 20), ("banjar", 10), ("batak", 7), ("tionghoa", 3)),
        tuple(_common("Kabupaten Kemuning") + [
            _u("dinkes", "Dinas Kesehatan", "setda", "opd", sector="kesehatan"),
            _u("dinkes-sekretariat", "Sekretariat Dinas Kesehatan", "dinkes", "sekretariat",
               _g("Subbagian Umum dan Kepegawaian", "Pengadministrasi Perkantoran", "Pengolah Data dan Informasi"),
               _g("Subbagian Program dan Keuangan", "Penata Layanan Operasional",
                  "Administrator Kesehatan Ahli Pertama")),
            _u("dinkes-p2p", "Bidang Pencegahan dan Pengendalian Penyakit", "dinkes", "bidang",
               _g("Seksi Surveilans dan Imunisasi", "Epidemiolog Kesehatan Ahli Pertama*",
                  "Pengolah Data dan Informasi"),
               _g("Seksi Pencegahan dan Pengendalian Penyakit Menular", "Tenaga Sanitasi Lingkungan Terampil",
                  "Perawat Mahir")),
            _u("dinkes-yankes", "Bidang Pelayanan Kesehatan", "dinkes", "bidang",
               _g("Seksi Pelayanan Kesehatan Primer", "Administrator Kesehatan Ahli Muda",
                  "Pengolah Data dan Informasi"),
               _g("Seksi Kefarmasian dan Alat Kesehatan", "Apoteker Ahli Pertama", "Asisten Apoteker Terampil")),
            _u("dinkes-kesmas", "Bidang Kesehatan Masyarakat", "dinkes", "bidang",
               _g("Seksi Kesehatan Keluarga dan Gizi", "Nutrisionis Ahli Pertama", "Bidan Ahli Pertama")),
            _u("pkm-kemuning-1", "UPTD Puskesmas Kemuning", "dinkes", "uptd",
               _g(None, "Dokter Ahli Pertama", "Dokter Ahli Muda", "Perawat Terampil", "Perawat Ahli Pertama",
                  "Bidan Terampil", "Bidan Terampil", "Nutrisionis Terampil", "Pengadministrasi Perkantoran")),
            _u("pkm-kemuning-2", "UPTD Puskesmas Sekara", "dinkes", "uptd",
               _g(None, "Dokter Ahli Pertama", "Dokter Gigi Ahli Pertama", "Perawat Terampil", "Perawat Mahir",
                  "Bidan Terampil", "Bidan Mahir", "Pranata Laboratorium Kesehatan Terampil")),
            _u("pkm-kemuning-3", "UPTD Puskesmas Batu Ampar", "dinkes", "uptd",
               _g(None, "Dokter Ahli Pertama", "Perawat Terampil", "Perawat Terampil", "Bidan Terampil",
                  "Bidan Penyelia", "Operator Layanan Operasional")),
        ]),
    ),
    _Daerah(
        "palu", "Kota Palu", "kota", "Asia/Makassar", 7271,
        (("kaili", 40), ("bugis", 30), ("jawa", 18), ("tionghoa", 6), ("batak", 6)),
        tuple(_common("Kota Palu") + [
            _u("bkpsdm-psdm", "Bidang Pengembangan Sumber Daya Manusia", "bkpsdm", "bidang",
               _g("Subbidang Pengembangan Kompetensi", "Analis SDM Aparatur Ahli Muda",
                  "Pengelola Layanan Operasional")),
            _u("diskominfo", "Dinas Komunikasi, Informatika, Persandian dan Statistik", "setda", "opd",
               sector="teknologi"),
            _u("diskominfo-sekretariat", "Sekretariat Dinas Komunikasi, Informatika, Persandian dan Statistik",
               "diskominfo", "sekretariat",
               _g("Subbagian Umum dan Kepegawaian", "Pengadministrasi Perkantoran", "Pengolah Data dan Informasi")),
            _u("diskominfo-aptika", "Bidang Aplikasi Informatika", "diskominfo", "bidang",
               _g("Seksi Pengembangan Aplikasi dan Layanan e-Government", "Pranata Komputer Ahli Pertama*",
                  "Pranata Komputer Terampil", "Penata Kelola Sistem dan Teknologi Informasi"),
               _g("Seksi Infrastruktur dan Persandian", "Sandiman Ahli Pertama", "Pranata Komputer Ahli Muda")),
            _u("diskominfo-ikp", "Bidang Informasi dan Komunikasi Publik", "diskominfo", "bidang",
               _g("Seksi Pengelolaan Informasi Publik", "Pranata Hubungan Masyarakat Ahli Pertama",
                  "Pengolah Data dan Informasi"),
               _g("Seksi Statistik Sektoral", "Statistisi Ahli Pertama")),
            _u("dinkes", "Dinas Kesehatan", "setda", "opd", sector="kesehatan"),
            _u("dinkes-yankes", "Bidang Pelayanan Kesehatan", "dinkes", "bidang",
               _g("Seksi Pelayanan Kesehatan Primer", "Administrator Kesehatan Ahli Pertama",
                  "Pengolah Data dan Informasi")),
            _u("pkm-palu-1", "UPTD Puskesmas Talise", "dinkes", "uptd",
               _g(None, "Dokter Ahli Pertama", "Dokter Ahli Muda", "Perawat Ahli Pertama", "Perawat Terampil",
                  "Bidan Terampil", "Nutrisionis Terampil")),
            _u("pkm-palu-2", "UPTD Puskesmas Kamonji", "dinkes", "uptd",
               _g(None, "Dokter Ahli Pertama", "Perawat Terampil", "Perawat Mahir", "Bidan Terampil",
                  "Pengadministrasi Perkantoran")),
            _u("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "setda", "opd",
               sector="ekonomi"),
            _u("dpmptsp-pelayanan", "Bidang Pelayanan Perizinan", "dpmptsp", "bidang",
               _g("Seksi Pelayanan Perizinan dan Nonperizinan", "Penata Layanan Operasional",
                  "Operator Layanan Operasional", "Penelaah Teknis Kebijakan")),
        ]),
    ),
    _Daerah(
        "pontianak", "Kota Pontianak", "kota", "Asia/Jakarta", 6171,
        (("melayu_pontianak", 35), ("tionghoa", 20), ("dayak", 18), ("jawa", 15), ("bugis", 12)),
        tuple(_common("Kota Pontianak") + [
            _u("dinkes", "Dinas Kesehatan", "setda", "opd", sector="kesehatan"),
            _u("dinkes-sekretariat", "Sekretariat Dinas Kesehatan", "dinkes", "sekretariat",
               _g("Subbagian Umum dan Kepegawaian", "Pengadministrasi Perkantoran", "Pengolah Data dan Informasi")),
            _u("dinkes-yankes", "Bidang Pelayanan Kesehatan", "dinkes", "bidang",
               _g("Seksi Pelayanan Kesehatan Primer dan Tradisional", "Administrator Kesehatan Ahli Pertama*",
                  "Pengolah Data dan Informasi"),
               _g("Seksi Mutu dan Pengaduan Layanan Kesehatan", "Administrator Kesehatan Ahli Muda",
                  "Pengadministrasi Perkantoran")),
            _u("dinkes-p2p", "Bidang Pencegahan dan Pengendalian Penyakit", "dinkes", "bidang",
               _g("Seksi Surveilans dan Imunisasi", "Epidemiolog Kesehatan Ahli Pertama",
                  "Tenaga Sanitasi Lingkungan Terampil")),
            _u("pkm-pontianak-1", "UPTD Puskesmas Kampung Dalam", "dinkes", "uptd",
               _g(None, "Dokter Ahli Pertama", "Dokter Ahli Muda", "Perawat Ahli Pertama", "Perawat Terampil",
                  "Bidan Terampil", "Bidan Mahir")),
            _u("pkm-pontianak-2", "UPTD Puskesmas Alianyang", "dinkes", "uptd",
               _g(None, "Dokter Ahli Pertama", "Dokter Gigi Ahli Pertama", "Perawat Terampil", "Bidan Terampil",
                  "Pranata Laboratorium Kesehatan Terampil")),
            _u("disdikbud", "Dinas Pendidikan dan Kebudayaan", "setda", "opd", sector="pendidikan"),
            _u("disdikbud-sekretariat", "Sekretariat Dinas Pendidikan dan Kebudayaan", "disdikbud", "sekretariat",
               _g("Subbagian Umum dan Kepegawaian", "Pengadministrasi Perkantoran", "Penata Layanan Operasional")),
            _u("disdikbud-smp", "Bidang Pembinaan Sekolah Menengah Pertama", "disdikbud", "bidang",
               _g("Seksi Kurikulum dan Penilaian", "Pengembang Teknologi Pembelajaran Ahli Pertama",
                  "Pengolah Data dan Informasi"),
               _g("Seksi Peserta Didik dan Pembangunan Karakter", "Penelaah Teknis Kebijakan")),
            _u("sdn-14-pontianak-selatan", "SD Negeri 14 Pontianak Selatan", "disdikbud", "sekolah",
               _g(None, "Guru Ahli Pertama", "Guru Ahli Muda", "Guru Ahli Pertama", "Guru Ahli Pertama")),
            _u("smpn-3-pontianak", "SMP Negeri 3 Pontianak", "disdikbud", "sekolah",
               _g(None, "Guru Ahli Muda", "Guru Ahli Madya", "Guru Ahli Pertama", "Guru Ahli Pertama",
                  "Pengadministrasi Perkantoran")),
        ]),
    ),
    _Daerah(
        "bantul", "Kabupaten Bantul", "kabupaten", "Asia/Jakarta", 3402,
        (("jawa", 88), ("tionghoa", 5), ("batak", 4), ("bugis", 3)),
        tuple(_common("Kabupaten Bantul") + [
            _u("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "setda", "opd",
               sector="ekonomi"),
            _u("dpmptsp-sekretariat", "Sekretariat Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
               "dpmptsp", "sekretariat",
               _g("Subbagian Umum dan Kepegawaian", "Pengadministrasi Perkantoran", "Pengolah Data dan Informasi")),
            _u("dpmptsp-perizinan", "Bidang Pelayanan Perizinan dan Nonperizinan", "dpmptsp", "bidang",
               _g("Seksi Perizinan Usaha", "Penata Layanan Operasional*", "Operator Layanan Operasional",
                  "Penelaah Teknis Kebijakan"),
               _g("Seksi Perizinan Jasa dan Bangunan", "Pengolah Data dan Informasi",
                  "Pengadministrasi Perkantoran")),
            _u("dpmptsp-pengaduan", "Bidang Pengaduan, Kebijakan dan Pelaporan Layanan", "dpmptsp", "bidang",
               _g("Seksi Pengaduan dan Informasi Layanan", "Pengelola Layanan Operasional",
                  "Pranata Hubungan Masyarakat Ahli Pertama")),
            _u("dinkes", "Dinas Kesehatan", "setda", "opd", sector="kesehatan"),
            _u("dinkes-yankes", "Bidang Pelayanan Kesehatan", "dinkes", "bidang",
               _g("Seksi Pelayanan Kesehatan Primer", "Administrator Kesehatan Ahli Pertama",
                  "Pengolah Data dan Informasi")),
            _u("pkm-bantul-1", "UPTD Puskesmas Bantul I", "dinkes", "uptd",
               _g(None, "Dokter Ahli Pertama", "Dokter Ahli Muda", "Perawat Ahli Pertama", "Perawat Terampil",
                  "Bidan Terampil", "Nutrisionis Terampil")),
            _u("pkm-bantul-2", "UPTD Puskesmas Sewon I", "dinkes", "uptd",
               _g(None, "Dokter Ahli Pertama", "Perawat Terampil", "Perawat Mahir", "Bidan Terampil",
                  "Bidan Penyelia", "Pengadministrasi Perkantoran")),
            _u("disdikpora", "Dinas Pendidikan, Kepemudaan dan Olahraga", "setda", "opd", sector="pendidikan"),
            _u("disdikpora-dikdas", "Bidang Pendidikan Dasar", "disdikpora", "bidang",
               _g("Seksi Kurikulum dan Penilaian Pendidikan Dasar", "Pengembang Teknologi Pembelajaran Ahli Pertama",
                  "Pengolah Data dan Informasi")),
            _u("sdn-bantul-timur", "SD Negeri Bantul Timur", "disdikpora", "sekolah",
               _g(None, "Guru Ahli Pertama", "Guru Ahli Muda", "Guru Ahli Pertama", "Guru Ahli Pertama")),
            _u("smpn-1-bantul", "SMP Negeri 1 Bantul", "disdikpora", "sekolah",
               _g(None, "Guru Ahli Muda", "Guru Ahli Madya", "Guru Ahli Pertama", "Guru Ahli Muda",
                  "Pengadministrasi Perkantoran")),
        ]),
    ),
)

# --------------------------------------------------------------------------------------------------------------
# Jabatan classification (jenis jabatan, golongan range, education)
# --------------------------------------------------------------------------------------------------------------

_JENJANG_RANKS = {
    "Pemula": ("II/a",),
    "Terampil": ("II/c", "II/d"),
    "Mahir": ("III/a", "III/b"),
    "Penyelia": ("III/c", "III/d"),
    "Ahli Pertama": ("III/a", "III/b"),
    "Ahli Muda": ("III/c", "III/d"),
    "Ahli Madya": ("IV/a", "IV/b", "IV/c"),
    "Ahli Utama": ("IV/d", "IV/e"),
}
_JENJANG_RE = re.compile(r"\b(Ahli (?:Pertama|Muda|Madya|Utama)|Terampil|Mahir|Penyelia|Pemula)\b")
_KETERAMPILAN = ("Pemula", "Terampil", "Mahir", "Penyelia")

# Jabatan pelaksana (PermenPANRB 45/2022 nomenclature) -> golongan range.
_PELAKSANA_RANKS = {
    "Pengadministrasi Perkantoran": ("II/a", "II/b", "II/c", "II/d"),
    "Operator Layanan Operasional": ("II/a", "II/b", "II/c", "II/d"),
    "Pengelola Layanan Operasional": ("II/c", "II/d", "III/a"),
    "Pengolah Data dan Informasi": ("II/c", "II/d", "III/a", "III/b"),
    "Penata Layanan Operasional": ("III/a", "III/b", "III/c"),
    "Penata Kelola Sistem dan Teknologi Informasi": ("III/a", "III/b", "III/c"),
    "Penelaah Teknis Kebijakan": ("III/a", "III/b", "III/c", "III/d"),
}

_STRUCTURAL_RANKS = {
    "sekda": ("IV/d", "IV/d", "IV/c"),
    "jpt": ("IV/c", "IV/c", "IV/d"),
    "administrator": ("IV/a", "IV/b", "IV/b"),
    "pengawas": ("III/c", "III/d", "III/d", "IV/a"),
}


def _classify_staff(title: str) -> tuple[str, tuple[str, ...]]:
    """Return (jenis_jabatan, golongan choices) of a staff (non-head) jabatan title."""
    if title in _PELAKSANA_RANKS:
        return "pelaksana", _PELAKSANA_RANKS[title]
    match = _JENJANG_RE.search(title)
    if match is None:
        raise ValueError(f"unknown jabatan {title!r}: neither a pelaksana title nor a fungsional jenjang")
    return "fungsional", _JENJANG_RANKS[match.group(1)]


# --------------------------------------------------------------------------------------------------------------
# Names and academic titles
# --------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Ethnic:
    male: tuple[str, ...]
    female: tuple[str, ...]
    family_male: tuple[str, ...]
    family_female: tuple[str, ...]
    prefix_male: tuple[str, ...] = ()
    prefix_female: tuple[str, ...] = ()
    prefix_rate: float = 0.0
    muslim: bool = True            # may carry H./Hj.


def _t(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


_MALAY_MALE = _t("Zulkarnain|Azmi|Rizal|Fadli|Hendra|Syahrul|Khairul|Iskandar|Zainal|Amran|Zulfikar|Mahyudin|"
                 "Hamdan|Firdaus|Rusli|Azhar|Jamaluddin|Effendi")
_MALAY_FEMALE = _t("Nurhayati|Zuraida|Rosnani|Fauziah|Marlina|Nurul Aini|Laila|Syamsiah|Hasnah|Juwita|Rosmiati|"
                   "Zaleha|Rahmah|Salmah|Nurbaiti")
_MALAY_FAMILY_M = _t("Abdullah|Hamid|Yusuf|Ismail|Hasan|Idris|Rahman|Syahputra|Mahmud|Ibrahim|Saleh|Harun")
_MALAY_FAMILY_F = _t("Hanim|Aini|Azizah|Fitri|Hasanah|Mulyani|Zahara|Rahmawati|Fitriyani|Sari")

_ETHNIC: dict[str, _Ethnic] = {
    "jawa": _Ethnic(
        _t("Agus|Bambang|Budi|Eko|Heru|Joko|Wahyu|Slamet|Teguh|Bayu|Arif|Sigit|Yudi|Hendro|Galih|Wisnu|Danang|"
           "Setyo|Rudi|Hari|Dwi|Tri|Nur|Anton|Fajar|Yoga"),
        _t("Sri|Endang|Tri|Dwi|Retno|Siti|Rini|Yuli|Dyah|Wulan|Ratna|Ika|Puji|Anik|Titik|Fitri|Kartika|Eni|"
           "Nunik|Sekar|Ayu|Winarni"),
        _t("Santoso|Prasetyo|Wibowo|Nugroho|Susanto|Purnomo|Hartono|Widodo|Setiawan|Saputro|Kurniawan|Sulistyo|"
           "Raharjo|Suryanto|Wicaksono|Pamungkas|Hidayat|Haryanto|Sutrisno|Mulyono|Pambudi|Utomo"),
        _t("Wahyuni|Handayani|Lestari|Rahayu|Astuti|Wulandari|Susilowati|Kusumawati|Sulistyowati|Purwaningsih|"
           "Rahmawati|Pratiwi|Utami|Hastuti|Setyaningsih|Widayati|Suryani|Maryani|Kusumaningrum|Nur Khasanah"),
    ),
    "dayak": _Ethnic(
        _t("Yohanes|Marselinus|Fransiskus|Agustinus|Kristian|Yulius|Natalis|Sabran|Riban|Aprianus|Hendri|"
           "Yosef|Elias|Petrus|Daniel|Rusdi"),
        _t("Kristina|Maria|Yuliana|Elisabeth|Magdalena|Natalia|Debora|Herlina|Rosita|Septiana|Novita|Lusiana|"
           "Agustina|Martha"),
        _t("Tundan|Bungai|Tingang|Sahay|Lambung|Nyahu|Djaban|Uhing|Ading|Pahu|Sandan|Nahan|Dohong|Nyangun|"
           "Rampai|Tuah|Asang|Dehen"),
        _t("Tundan|Bungai|Tingang|Sahay|Lambung|Nyahu|Djaban|Uhing|Ading|Pahu|Sandan|Nahan|Dohong|Nyangun|"
           "Rampai|Tuah|Asang|Dehen"),
        muslim=False,
    ),
    "banjar": _Ethnic(
        _t("Muhammad|Ahmad|Akhmad|Rahmadi|Syahrani|Fahrurrazi|Hairul|Saberan|Husaini|Mahfuzi|Rusdiansyah|"
           "Abdul Hadi|Riduan"),
        _t("Siti|Noor|Nor|Rabiatul|Mariatul|Hairiah|Fitria|Raudah|Khairunnisa|Rusmilawati"),
        _t("Noor|Arsyad|Rahman|Ansyari|Hamdani|Fauzi|Hairani|Ramadhani|Syarkawi|Effendi|Ridhani"),
        _t("Aida|Hasanah|Mahmudah|Rahmah|Jannah|Laila|Qiptiah|Hidayati|Norliani|Mardiana"),
        prefix_male=("Gusti",), prefix_female=("Gusti",), prefix_rate=0.08,
    ),
    "melayu_riau": _Ethnic(_MALAY_MALE, _MALAY_FEMALE, _MALAY_FAMILY_M, _MALAY_FAMILY_F,
                           prefix_male=("Tengku", "Raja", "Wan"), prefix_female=("Tengku", "Raja", "Wan"),
                           prefix_rate=0.18),
    "melayu_pontianak": _Ethnic(_MALAY_MALE, _MALAY_FEMALE, _MALAY_FAMILY_M + ("Alkadrie", "Alqadrie"),
                                _MALAY_FAMILY_F,
                                prefix_male=("Syarif", "Uray", "Gusti"), prefix_female=("Syarifah", "Utin", "Gusti"),
                                prefix_rate=0.2),
    "bugis": _Ethnic(
        _t("Muhammad|Muh. Arsyad|Hasanuddin|Rusli|Jufri|Syamsul|Ardiansyah|Muhlis|Baharuddin|Amiruddin|Darwis|"
           "Hamzah|Akbar|Irfan"),
        _t("Sitti|Nurhaeda|Hasnawati|Rahmawati|Nurfadilah|Megawati|Sukmawati|Irmawati|Besse|Tenri|Nurhalimah|"
           "Hasmiah"),
        _t("Rauf|Tahir|Latief|Baso|Sultan|Saleh|Arifin|Bachtiar|Pananrangi|Syamsuddin|Mappaseng|Yunus"),
        _t("Rauf|Tahir|Latief|Ajeng|Sultan|Saleh|Arifin|Nurdin|Syamsuddin|Mappaseng|Yunus"),
        prefix_male=("Andi",), prefix_female=("Andi",), prefix_rate=0.22,
    ),
    "kaili": _Ethnic(
        _t("Moh.|Hidayat|Rizal|Abdul Karim|Ridwan|Ramli|Irwan|Sofyan|Hasan|Mulhanan|Arfan|Fadel|Rahmat|Nasrun"),
        _t("Sitti|Nurhaya|Rahmawati|Fatma|Hartini|Nurjannah|Sartika|Wahidah|Ramlah|Fitriani|Nurdiana|Asniar"),
        _t("Lamakarate|Tombolotutu|Lasahido|Ladjalani|Labolo|Datupalinge|Parampasi|Lamasitudju|Tanjumbulu|"
           "Lapasere|Tjatjo|Lagarontji"),
        _t("Lamakarate|Tombolotutu|Lasahido|Ladjalani|Labolo|Datupalinge|Parampasi|Lamasitudju|Tanjumbulu|"
           "Lapasere|Tjatjo|Lagarontji"),
    ),
    "tionghoa": _Ethnic(
        _t("Hendra|Budi|Andreas|Kristianto|Vincent|Ferdinand|Antonius|Rudy|Hendrik|Gunawan|Susanto|Felix"),
        _t("Lily|Yanti|Fransiska|Susanti|Meliana|Lanny|Stefani|Veronika|Lidya|Shinta|Herlina|Mei Ling"),
        _t("Tjhai|Lim|Tan|Bong|Tjhin|Lie|Halim|Tanoto|Liem|Lay|Phang|Wijaya|Hartanto|Sugiarto"),
        _t("Tjhai|Lim|Tan|Bong|Tjhin|Lie|Halim|Tanoto|Liem|Lay|Phang|Wijaya|Kurniawati|Susilo"),
        muslim=False,
    ),
    "batak": _Ethnic(
        _t("Robert|Parlindungan|Hotman|Martua|Tigor|Benny|Rudolf|Jonner|Sahat|Ronald"),
        _t("Rina|Rosmawati|Tiurma|Dame|Lasmaria|Roslina|Debora|Nurmaida|Ruth|Romauli"),
        _t("Sihombing|Siregar|Nainggolan|Simanjuntak|Hutapea|Panjaitan|Sitompul|Situmorang|Manurung|Pardede"),
        _t("Sihombing|Siregar|Nainggolan|Simanjuntak|Hutapea|Panjaitan|Sitompul|Situmorang|Manurung|Pardede"),
        muslim=False,
    ),
}

# Sector pools for structural heads and generic S1 staff: ((prefix, bachelor suffix) options, master options).
_SECTOR_DEGREES: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {
    "pemerintahan": ((("", "S.STP."), ("", "S.Sos."), ("", "S.IP."), ("", "S.H."), ("", "S.AP.")),
                     ("M.Si.", "M.AP.", "M.H.")),
    "kepegawaian": ((("", "S.Psi."), ("", "S.Sos."), ("", "S.STP."), ("", "S.AP.")), ("M.Si.", "M.AP.", "M.Psi.")),
    "kependudukan": ((("", "S.STP."), ("", "S.Sos."), ("", "S.Kom."), ("", "S.H.")), ("M.Si.", "M.AP.")),
    "pendidikan": ((("", "S.Pd."), ("", "S.Pd."), ("", "S.Sos.")), ("M.Pd.", "M.Pd.", "M.Si.")),
    "kesehatan": ((("dr.", ""), ("", "S.K.M."), ("", "S.K.M."), ("", "S.Kep., Ns.")), ("M.Kes.", "M.K.M.")),
    "teknologi": ((("", "S.Kom."), ("", "S.T."), ("", "S.Kom.")), ("M.T.", "M.Kom.", "M.Si.")),
    "ekonomi": ((("", "S.E."), ("", "S.H."), ("", "S.E.")), ("M.M.", "M.Si.", "M.H.")),
}

# Profession keyword -> (education, title for keterampilan jenjang, title for keahlian jenjang).
# education: sma | d3 | s1 | dokter; a title "dr." or "drg." is a prefix, anything else a suffix.
_PROFESSIONS: tuple[tuple[str, str, str], ...] = (
    ("Dokter Gigi", "drg.", "drg."),
    ("Dokter", "dr.", "dr."),
    ("Perawat", "A.Md.Kep.", "S.Kep., Ns."),
    ("Bidan", "A.Md.Keb.", "S.Tr.Keb."),
    ("Nutrisionis", "A.Md.Gz.", "S.Gz."),
    ("Asisten Apoteker", "A.Md.Farm.", "A.Md.Farm."),
    ("Apoteker", "S.Farm., Apt.", "S.Farm., Apt."),
    ("Pranata Laboratorium Kesehatan", "A.Md.AK.", "S.Tr.AK."),
    ("Tenaga Sanitasi Lingkungan", "A.Md.KL.", "S.Tr.KL."),
    ("Epidemiolog", "S.K.M.", "S.K.M."),
    ("Administrator Kesehatan", "S.K.M.", "S.K.M."),
    ("Guru", "S.Pd.", "S.Pd."),
    ("Pengembang Teknologi Pembelajaran", "S.Pd.", "S.Pd."),
    ("Pranata Komputer", "A.Md.Kom.", "S.Kom."),
    ("Administrator Database Kependudukan", "S.Kom.", "S.Kom."),
    ("Sandiman", "S.Tr.Sandi.", "S.Tr.Sandi."),
    ("Pranata Hubungan Masyarakat", "S.I.Kom.", "S.I.Kom."),
    ("Statistisi", "S.Stat.", "S.Stat."),
    ("Analis SDM Aparatur", "S.Psi.", "S.AP."),
    ("Analis Kebijakan", "S.IP.", "S.AP."),
)

def _non_medical(degrees: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The degrees of a pool without the professional ones (dr., Ners) that only a health post fits."""
    return tuple(d for d in degrees if not d[0] and "Ns." not in d[1])


_ENTRY = {"sma": (0, 19, 23), "d3": (2, 21, 25), "s1": (4, 23, 29), "dokter": (4, 25, 30)}  # rank idx, age range
_MAX_AGE = 57
_TMT_MONTHS = (1, 1, 2, 3, 3, 4, 6, 12)


@dataclass
class _Person:
    nip: str
    name: str
    jabatan: str
    jenis_jabatan: str
    golongan: str
    unit_code: str
    atasan_nip: str | None
    username: str | None = None

    def as_dict(self) -> dict:
        """The pegawai as the plain dict `demo_tenants` exposes."""
        return {"nip": self.nip, "name": self.name, "jabatan": self.jabatan, "jenis_jabatan": self.jenis_jabatan,
                "golongan": self.golongan, "unit_code": self.unit_code, "atasan_nip": self.atasan_nip,
                "username": self.username}


class _Generator:
    """Generates the pegawai of one daerah from its own `random.Random(seed)`."""

    def __init__(self, daerah: _Daerah, used_nips: set[str], used_names: set[str]):
        self.daerah = daerah
        self.rng = random.Random(daerah.seed)
        self.used_nips = used_nips
        self.used_names = used_names
        self.units = {u.code: u for u in daerah.units}
        self.people: list[_Person] = []
        self.heads: dict[str, _Person] = {}
        self.login: _Person | None = None
        ethnic, weights = zip(*daerah.ethnic_mix)
        self._ethnic_keys, self._ethnic_weights = list(ethnic), list(weights)

    # -- structure -----------------------------------------------------------------------------------------
    def run(self) -> list[_Person]:
        """Create the heads, seksi heads and staff of every unit, in order, and mark the three logins."""
        for unit in self.daerah.units:
            parent_head = self.heads[unit.parent] if unit.parent else None
            head = self._head(unit, parent_head)
            self.heads[unit.code] = head
            for group_name, staff in unit.groups:
                boss = head
                if group_name is not None:
                    boss = self._add(f"Kepala {group_name}", "pengawas", _STRUCTURAL_RANKS["pengawas"], unit,
                                     head, self._sector(unit))
                for title in staff:
                    is_login = title.endswith("*")
                    title = title.rstrip("*")
                    jenis, ranks = _classify_staff(title)
                    person = self._add(title, jenis, ranks, unit, boss, self._sector(unit))
                    if is_login:
                        if self.login is not None:
                            raise ValueError(f"{self.daerah.code}: more than one pegawai login marked")
                        self.login = person
        self._assign_logins()
        return self.people

    def _head(self, unit: _Unit, atasan: _Person | None) -> _Person:
        sector = self._sector(unit)
        if unit.kind == "root":
            return self._add(f"Sekretaris Daerah {self.daerah.name}", "jpt", _STRUCTURAL_RANKS["sekda"], unit,
                             atasan, sector)
        if unit.kind == "opd":
            return self._add(f"Kepala {unit.name}", "jpt", _STRUCTURAL_RANKS["jpt"], unit, atasan, sector)
        if unit.kind == "sekretariat":
            parent = self.units[unit.parent]  # type: ignore[index]
            return self._add(f"Sekretaris {parent.name}", "administrator", _STRUCTURAL_RANKS["administrator"],
                             unit, atasan, sector)
        if unit.kind in ("bagian", "bidang"):
            return self._add(f"Kepala {unit.name}", "administrator", _STRUCTURAL_RANKS["administrator"], unit,
                             atasan, sector)
        if unit.kind == "uptd":
            return self._add(f"Kepala {unit.name}", "pengawas", _STRUCTURAL_RANKS["pengawas"], unit, atasan,
                             sector)
        if unit.kind == "sekolah":
            return self._add(f"Kepala {unit.name} (Guru Ahli Madya)", "fungsional", ("IV/a", "IV/b"), unit,
                             atasan, sector)
        raise ValueError(f"unknown unit kind {unit.kind!r}")

    def _sector(self, unit: _Unit) -> str:
        while unit.sector is None and unit.parent is not None:
            unit = self.units[unit.parent]
        return unit.sector or "pemerintahan"

    def _assign_logins(self) -> None:
        if self.login is None:
            raise ValueError(f"{self.daerah.code}: no pegawai login marked")
        by_nip = {p.nip: p for p in self.people}
        atasan = by_nip[self.login.atasan_nip]  # type: ignore[index]
        atasan2 = by_nip[atasan.atasan_nip]  # type: ignore[index]
        for role, person in zip(LOGIN_ROLES, (self.login, atasan, atasan2)):
            person.username = f"{role}.{self.daerah.code}"

    # -- one person ----------------------------------------------------------------------------------------
    def _add(self, jabatan: str, jenis: str, ranks: tuple[str, ...], unit: _Unit, atasan: _Person | None,
             sector: str) -> _Person:
        rng = self.rng
        golongan = rng.choice(ranks)
        gol_idx = _RANKS.index(golongan)
        gender = self._gender(jabatan)
        education, degree = self._education(jabatan, jenis, gol_idx, sector)
        entry_idx, min_age, max_age = _ENTRY[education]
        service = max(1, (gol_idx - entry_idx) * 4 + rng.randint(0, 3))
        entry_age = rng.randint(min_age, max_age)
        if entry_age + service > _MAX_AGE:
            entry_age = max(min_age, _MAX_AGE - service)
        tmt_year = REFERENCE_YEAR - service
        tmt_month = rng.choice(_TMT_MONTHS)
        birth = date(tmt_year - entry_age, rng.randint(1, 12), rng.randint(1, 28))
        nip = self._nip(birth, tmt_year, tmt_month, gender)
        name = self._name(gender, jenis, degree, birth)
        person = _Person(nip, name, jabatan, jenis, golongan, unit.code, atasan.nip if atasan else None)
        self.people.append(person)
        return person

    def _gender(self, jabatan: str) -> str:
        share_female = 0.5
        if jabatan.startswith("Bidan"):
            share_female = 1.0
        elif jabatan.startswith(("Perawat", "Guru", "Nutrisionis")):
            share_female = 0.7
        elif jabatan.startswith(("Sekretaris Daerah", "Kepala Dinas", "Kepala Badan")):
            share_female = 0.3
        return "wanita" if self.rng.random() < share_female else "pria"

    def _education(self, jabatan: str, jenis: str, gol_idx: int, sector: str) -> tuple[str, tuple[str, str]]:
        """Return (education, (prefix title, suffix title)) consistent with the jabatan and golongan."""
        rng = self.rng
        if jenis in ("jpt", "administrator", "pengawas"):
            bachelors, masters = _SECTOR_DEGREES[sector]
            if jenis == "pengawas" and not jabatan.startswith("Kepala UPTD Puskesmas"):
                bachelors = _non_medical(bachelors)   # a physician heads a puskesmas, not a subbagian
            prefix, suffix = rng.choice(bachelors)
            master_rate = {"jpt": 1.0, "administrator": 0.7, "pengawas": 0.3}[jenis]
            if rng.random() < master_rate:
                suffix = f"{suffix}, {rng.choice(masters)}" if suffix else rng.choice(masters)
            if jenis == "jpt" and not prefix and rng.random() < 0.2:
                prefix = "Dr."
            return ("dokter" if prefix == "dr." else "s1"), (prefix, suffix)
        match = _JENJANG_RE.search(jabatan)
        keterampilan = bool(match) and match.group(1) in _KETERAMPILAN  # type: ignore[union-attr]
        if jenis == "fungsional":
            for keyword, title_k, title_a in _PROFESSIONS:
                if keyword in jabatan:
                    title = title_k if keterampilan else title_a
                    break
            else:
                title = "" if keterampilan else rng.choice(_non_medical(_SECTOR_DEGREES[sector][0]))[1]
            if title in ("dr.", "drg."):
                suffix = "M.Kes." if "Ahli Muda" in jabatan and rng.random() < 0.4 else ""
                return "dokter", (title, suffix)
            if "Ahli Madya" in jabatan and rng.random() < 0.5:
                title = f"{title}, {rng.choice(_SECTOR_DEGREES[sector][1])}"
            return ("d3" if keterampilan else "s1"), ("", title)
        # pelaksana
        if gol_idx >= _RANKS.index("III/a"):
            return "s1", rng.choice(_non_medical(_SECTOR_DEGREES[sector][0]))
        if gol_idx >= _RANKS.index("II/c") and rng.random() < 0.5:
            return "d3", ("", "A.Md.")
        return "sma", ("", "")

    def _nip(self, birth: date, tmt_year: int, tmt_month: int, gender: str) -> str:
        head = f"{birth:%Y%m%d}{tmt_year:04d}{tmt_month:02d}{1 if gender == 'pria' else 2}"
        sequence = self.rng.randint(1, 9)
        while f"{head}{sequence:03d}" in self.used_nips:
            sequence += 1
        nip = f"{head}{sequence:03d}"
        self.used_nips.add(nip)
        return nip

    def _name(self, gender: str, jenis: str, degree: tuple[str, str], birth: date) -> str:
        rng = self.rng
        prefix, suffix = degree
        # Older graduates of social sciences carry the pre-1993 title Drs./Dra. instead of S.Sos./S.IP./S.AP.
        first_suffix = suffix.split(", ")[0]
        if not prefix and first_suffix in ("S.Sos.", "S.IP.", "S.AP.") and birth.year < 1972:
            prefix = "Drs." if gender == "pria" else "Dra."
            suffix = ", ".join(suffix.split(", ")[1:])
        for _ in range(200):
            ethnic = _ETHNIC[rng.choices(self._ethnic_keys, self._ethnic_weights)[0]]
            male = gender == "pria"
            given = rng.choice(ethnic.male if male else ethnic.female)
            family = rng.choice(ethnic.family_male if male else ethnic.family_female)
            if given == family or family in given.split():
                continue
            parts = [given, family]
            honorific = ethnic.prefix_male if male else ethnic.prefix_female
            if honorific and rng.random() < ethnic.prefix_rate:
                parts.insert(0, rng.choice(honorific))
            base = " ".join(parts)
            if base in self.used_names:
                continue
            self.used_names.add(base)
            titles = [prefix] if prefix else []
            if ethnic.muslim and jenis in ("jpt", "administrator") and rng.random() < 0.35:
                titles.append("H." if male else "Hj.")
            full = " ".join(titles + [base])
            return f"{full}, {suffix}" if suffix else full
        raise RuntimeError(f"{self.daerah.code}: could not find a unique name")  # pragma: no cover


def _generate() -> list[dict]:
    used_nips: set[str] = set()
    tenants: list[dict] = [{"code": "nasional", "name": "Nasional (PermenPANRB 6/2022)", "level": "nasional",
                            "timezone": "Asia/Jakarta", "units": [], "pegawai": []}]
    for daerah in _DAERAH:
        people = _Generator(daerah, used_nips, set()).run()
        for person in people:
            parse_nip(person.nip, today=date(REFERENCE_YEAR, 12, 31))   # a bug here must fail loudly
        tenants.append({
            "code": daerah.code, "name": daerah.name, "level": daerah.level, "timezone": daerah.timezone,
            "units": [{"code": u.code, "name": u.name, "parent_code": u.parent} for u in daerah.units],
            "pegawai": [p.as_dict() for p in people],
        })
    return tenants


_CACHE: list[dict] | None = None


def demo_tenants() -> list[dict]:
    """Return the six demo tenants (nasional first) with units and pegawai; a fresh deep copy on every call."""
    global _CACHE
    if _CACHE is None:
        _CACHE = _generate()
    return copy.deepcopy(_CACHE)


def demo_tenant(code: str) -> dict:
    """Return one demo tenant by code; raise KeyError for an unknown code."""
    for tenant in demo_tenants():
        if tenant["code"] == code:
            return tenant
    raise KeyError(code)


def demo_logins() -> list[dict]:
    """Return the login pegawai of every daerah: tenant, username, role, nip, name, jabatan, atasan_nip."""
    rows = []
    for tenant in demo_tenants():
        for role in LOGIN_ROLES:
            for person in tenant["pegawai"]:
                if person["username"] == f"{role}.{tenant['code']}":
                    rows.append({"tenant": tenant["code"], "username": person["username"], "role": role,
                                 "nip": person["nip"], "name": person["name"], "jabatan": person["jabatan"],
                                 "atasan_nip": person["atasan_nip"]})
    return rows
