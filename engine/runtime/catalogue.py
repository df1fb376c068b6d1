"""The fact catalogue: every fact a rule may read, every output a rule may set, every action a rule may emit.

The catalogue is the typed symbol table rules are validated against. Facts are named by dotted ids
(``perilaku.akuntabel``); durable_rules sees them under a flat field name (``perilaku__akuntabel``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Stages run in this order; each stage's outputs become facts of the later stages.
STAGES: tuple[str, ...] = ("iki_rating", "hasil_kerja", "perilaku", "predikat", "skor", "triggers")
STAGE_LABELS: dict[str, tuple[str, str]] = {
    "iki_rating": ("rating per IKI", "rating per IKI"),
    "hasil_kerja": ("rating hasil kerja", "work result rating"),
    "perilaku": ("rating perilaku kerja", "work behaviour rating"),
    "predikat": ("predikat kinerja", "performance predikat"),
    "skor": ("skor / persen TPP", "score / TPP percent"),
    "triggers": ("tindak lanjut", "follow-up actions"),
}
# The iki_rating stage evaluates one subject per IKI; every other stage one subject per pegawai.
STAGE_SCOPE: dict[str, str] = {s: ("iki" if s == "iki_rating" else "pegawai") for s in STAGES}

RATINGS: tuple[str, ...] = ("di_atas", "sesuai", "di_bawah")
RATING_LABELS: dict[str, tuple[str, str]] = {
    "di_atas": ("Di Atas Ekspektasi", "Above Expectations"),
    "sesuai": ("Sesuai Ekspektasi", "As Expected"),
    "di_bawah": ("Di Bawah Ekspektasi", "Below Expectations"),
}
PREDIKATS: tuple[str, ...] = ("sangat_baik", "baik", "butuh_perbaikan", "kurang_misconduct", "sangat_kurang")
PREDIKAT_LABELS: dict[str, tuple[str, str]] = {
    "sangat_baik": ("Sangat Baik", "Very Good"),
    "baik": ("Baik", "Good"),
    "butuh_perbaikan": ("Butuh Perbaikan", "Needs Improvement"),
    "kurang_misconduct": ("Kurang/Misconduct", "Poor/Misconduct"),
    "sangat_kurang": ("Sangat Kurang", "Very Poor"),
}
ORG_PREDIKATS: tuple[str, ...] = ("istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
BERAKHLAK: tuple[str, ...] = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal",
                              "adaptif", "kolaboratif")
#: English names of the BerAKHLAK core values, for the English labels
BERAKHLAK_EN = {"berorientasi_pelayanan": "service-oriented", "akuntabel": "accountable", "kompeten": "competent",
                "harmonis": "harmonious", "loyal": "loyal", "adaptif": "adaptive", "kolaboratif": "collaborative"}
PERIODE_JENIS: tuple[str, ...] = ("tahunan", "semesteran", "triwulan_1", "triwulan_2", "triwulan_3",
                                  "triwulan_4", "bulanan")
JENIS_JABATAN: tuple[str, ...] = ("jpt", "administrator", "pengawas", "pelaksana", "fungsional")
JENIS_LAYANAN: tuple[str, ...] = ("pendidikan", "kesehatan", "kependudukan", "perizinan", "umum")

TYPES: tuple[str, ...] = ("number", "integer", "boolean", "enum", "string")
OPERATORS: tuple[str, ...] = ("=", "!=", "<", "<=", ">", ">=", "between", "in", "is_set")
OPERATORS_BY_TYPE: dict[str, frozenset[str]] = {
    "number": frozenset(OPERATORS),
    "integer": frozenset(OPERATORS),
    "enum": frozenset({"=", "!=", "in", "is_set"}),
    "string": frozenset({"=", "!=", "in", "is_set"}),
    "boolean": frozenset({"=", "!=", "is_set"}),
}


@dataclass(frozen=True)
class FactSpec:
    """One fact a rule may read: its type, labels, where it comes from and the first stage that sees it."""

    id: str
    type: str
    label_id: str
    label_en: str
    source: str = "input"          # input | derived | output
    scope: str = "pegawai"         # pegawai | iki
    available_from: str = "iki_rating"
    values: tuple[str, ...] = ()
    description: str = ""

    @property
    def field(self) -> str:
        """The flat durable_rules field name (dots are nested objects to durable, so they are replaced)."""
        return self.id.replace(".", "__")


@dataclass(frozen=True)
class OutputSpec:
    """One output a rule may set, and the stage that decides it."""

    id: str
    type: str
    stage: str
    label_id: str
    label_en: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParamSpec:
    """One parameter of an action."""

    name: str
    type: str
    required: bool
    minimum: float | None = None
    maximum: float | None = None
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionSpec:
    """One follow-up action a rule may emit, with its kind, owner role and default due days."""

    code: str
    kind: str            # reward | coaching | punishment
    owner: str           # hr | atasan
    due_days: int
    label_id: str
    label_en: str
    params: tuple[ParamSpec, ...] = field(default_factory=tuple)


def _f(id_: str, type_: str, label_id: str, label_en: str, **kw) -> FactSpec:
    return FactSpec(id_, type_, label_id, label_en, **kw)


_FACTS: list[FactSpec] = [
    _f("daerah", "string", "kode daerah", "region code"),
    _f("periode.tahun", "integer", "tahun periode", "period year"),
    _f("periode.jenis", "enum", "jenis periode", "period kind", values=PERIODE_JENIS),
    _f("pegawai.jenis_jabatan", "enum", "jenis jabatan", "position type", values=JENIS_JABATAN),
    _f("pegawai.golongan", "string", "golongan/ruang", "civil service grade"),
    _f("pegawai.unit", "string", "unit kerja", "work unit"),
    _f("pegawai.jenis_asn", "enum", "jenis ASN (PNS/PPPK)", "civil servant type (PNS/PPPK)", values=("pns", "pppk")),
    _f("pegawai.jenis_layanan", "enum", "bidang layanan unit", "service area of the unit", values=JENIS_LAYANAN),
    *[_f(f"perilaku.{v}", "enum", f"perilaku {v.replace('_', ' ')}",
         f"behaviour: {BERAKHLAK_EN[v]} ({v.replace('_', ' ')})", values=RATINGS) for v in BERAKHLAK],
    _f("kontribusi_tim", "enum", "kontribusi dalam tim", "contribution to the team", values=RATINGS),
    _f("disiplin.hari_tidak_masuk", "integer", "hari tidak masuk tanpa alasan sah (kumulatif setahun)",
       "days absent without valid reason (cumulative per year)"),
    _f("disiplin.menit_terlambat", "integer", "menit terlambat/pulang cepat", "minutes late or leaving early"),
    _f("disiplin.hari_tidak_masuk_berturut", "integer", "hari tidak masuk berturut-turut",
       "consecutive days absent"),
    _f("kepuasan_masyarakat", "number", "indeks kepuasan masyarakat (25-100)", "public satisfaction index (25-100)"),
    _f("kepuasan_masyarakat_responden", "integer", "jumlah responden survei kepuasan",
       "number of satisfaction survey respondents"),
    _f("inovasi", "boolean", "menghasilkan inovasi", "produced an innovation"),
    _f("skp_disepakati", "boolean", "rencana SKP disepakati dengan atasan", "SKP plan agreed with the superior"),
    _f("aktivitas_harian", "integer", "hari dengan input aktivitas harian", "days with a daily activity entry"),
    _f("hari_kerja", "integer", "hari kerja dalam periode", "working days in the period"),
    _f("waktu_respon_pengaduan", "number", "rata-rata waktu respon pengaduan (jam)",
       "mean complaint response time (hours)"),
    _f("waktu_layanan", "number", "rata-rata waktu penyelesaian layanan (hari)",
       "mean service completion time (days)"),
    # per IKI (iki_rating stage only)
    _f("iki.aspek", "enum", "aspek IKI", "IKI aspect", scope="iki",
       values=("kuantitas", "kualitas", "waktu", "biaya")),
    _f("iki.arah", "enum", "arah indikator", "indicator polarity", scope="iki", values=("naik", "turun")),
    _f("iki.jenis_rhk", "enum", "jenis RHK", "RHK type", scope="iki", values=("utama", "tambahan")),
    _f("iki.target", "number", "target IKI", "IKI target", scope="iki"),
    _f("iki.realisasi", "number", "realisasi IKI", "IKI realisation", scope="iki"),
    _f("iki.bobot", "number", "bobot IKI", "IKI weight", scope="iki"),
    _f("iki.capaian", "number", "capaian IKI (%)", "IKI achievement (%)", source="derived", scope="iki"),
    _f("iki.capaian_tersedia", "boolean", "capaian IKI dapat dihitung", "IKI achievement can be computed",
       source="derived", scope="iki"),
    _f("iki.alasan_tanpa_capaian", "enum", "alasan capaian tidak dapat dihitung",
       "why the achievement cannot be computed", source="derived", scope="iki",
       values=("target_nol", "realisasi_kosong")),
    # derived, pegawai level
    _f("capaian_tertimbang", "number", "capaian tertimbang (%)", "weighted achievement (%)", source="derived"),
    _f("jumlah_iki", "integer", "jumlah IKI", "number of IKI", source="derived"),
    _f("jumlah_iki_tanpa_capaian", "integer", "jumlah IKI tanpa capaian", "IKI without achievement",
       source="derived"),
    *[_f(f"jumlah_perilaku_{r}", "integer", f"jumlah nilai perilaku {RATING_LABELS[r][0]}",
         f"behaviour values {RATING_LABELS[r][1]}", source="derived") for r in RATINGS],
    _f("disiplin.hari_tidak_masuk_setara", "integer",
       "hari tidak masuk + keterlambatan setara hari (7,5 jam = 1 hari)",
       "days absent plus lateness as days (7.5 h = 1 day)", source="derived"),
    _f("persen_aktivitas_harian", "number", "persen hari dengan aktivitas harian", "percent of days with activity",
       source="derived"),
    _f("predikat_tahun_lalu", "enum", "predikat tahun lalu", "last year's predikat", source="derived",
       values=PREDIKATS),
    *[_f(f"jumlah_iki_{r}", "integer", f"jumlah IKI {RATING_LABELS[r][0]}", f"IKI rated {RATING_LABELS[r][1]}",
         source="derived", available_from="hasil_kerja") for r in RATINGS],
    _f("jumlah_iki_utama_di_bawah", "integer", "jumlah IKI RHK utama di bawah ekspektasi",
       "IKI of a main RHK below expectations", source="derived", available_from="hasil_kerja"),
    _f("rating_hasil_kerja", "enum", "rating hasil kerja", "work result rating", source="output",
       available_from="perilaku", values=RATINGS),
    _f("rating_perilaku", "enum", "rating perilaku kerja", "work behaviour rating", source="output",
       available_from="predikat", values=RATINGS),
    _f("predikat", "enum", "predikat kinerja", "performance predikat", source="output",
       available_from="skor", values=PREDIKATS),
    _f("tahun_berturut_sangat_baik", "integer", "tahun berturut-turut Sangat Baik (termasuk periode ini)",
       "consecutive years Very Good (this period included)", source="derived", available_from="skor"),
    _f("tahun_berturut_di_bawah_baik", "integer",
       "tahun berturut-turut di bawah Baik (termasuk periode ini)",
       "consecutive years below Good (this period included)", source="derived", available_from="skor"),
    _f("skor", "number", "skor kinerja", "performance score", source="output", available_from="triggers"),
    _f("tpp_persen", "number", "persen TPP", "TPP percent", source="output", available_from="triggers"),
]
CATALOGUE: dict[str, FactSpec] = {f.id: f for f in _FACTS}
FIELD_TO_FACT: dict[str, str] = {f.field: f.id for f in _FACTS}

OUTPUTS: dict[str, OutputSpec] = {o.id: o for o in (
    OutputSpec("rating_iki", "enum", "iki_rating", "rating IKI", "IKI rating", RATINGS),
    OutputSpec("rating_hasil_kerja", "enum", "hasil_kerja", "rating hasil kerja", "work result rating", RATINGS),
    OutputSpec("rating_perilaku", "enum", "perilaku", "rating perilaku kerja", "work behaviour rating", RATINGS),
    OutputSpec("predikat", "enum", "predikat", "predikat kinerja", "performance predikat", PREDIKATS),
    OutputSpec("skor", "number", "skor", "skor kinerja", "performance score"),
    OutputSpec("tpp_persen", "number", "skor", "persen TPP", "TPP percent"),
)}

_PERCENT = ParamSpec("percent", "number", True, 0, 100)
ACTIONS: dict[str, ActionSpec] = {a.code: a for a in (
    ActionSpec("penghargaan", "reward", "hr", 60, "Penghargaan", "Award"),
    ActionSpec("talent_pool", "reward", "hr", 90, "Usulan talent pool", "Talent pool nomination"),
    ActionSpec("prioritas_pengembangan_kompetensi", "reward", "hr", 180, "Prioritas pengembangan kompetensi",
               "Priority for competence development"),
    ActionSpec("bimbingan_kinerja", "coaching", "atasan", 30, "Bimbingan kinerja", "Performance coaching"),
    ActionSpec("konseling_kinerja", "coaching", "atasan", 30, "Konseling kinerja", "Performance counselling"),
    ActionSpec("pelatihan", "coaching", "hr", 180, "Pelatihan", "Training"),
    ActionSpec("penugasan_khusus", "coaching", "atasan", 90, "Penugasan khusus", "Special assignment"),
    ActionSpec("usulan_mutasi", "punishment", "hr", 90, "Usulan mutasi", "Transfer proposal"),
    ActionSpec("periode_perbaikan", "punishment", "atasan", 180, "Periode perbaikan kinerja (6 bulan)",
               "Performance improvement period (6 months)"),
    ActionSpec("rekomendasi_hukuman_disiplin", "punishment", "hr", 30, "Rekomendasi hukuman disiplin",
               "Disciplinary sanction recommendation",
               (ParamSpec("jenis", "enum", False, values=("penurunan_jabatan", "pembebasan_jabatan",
                                                         "pemberhentian_dengan_hormat")),)),
    ActionSpec("teguran_lisan", "punishment", "atasan", 14, "Teguran lisan", "Oral reprimand"),
    ActionSpec("teguran_tertulis", "punishment", "atasan", 14, "Teguran tertulis", "Written reprimand"),
    ActionSpec("pernyataan_tidak_puas", "punishment", "atasan", 14, "Pernyataan tidak puas secara tertulis",
               "Written statement of dissatisfaction"),
    ActionSpec("potong_tpp", "punishment", "hr", 30, "Pemotongan TPP", "TPP cut",
               (_PERCENT, ParamSpec("months", "integer", True, 1, 24))),
    ActionSpec("tpp_tambahan", "reward", "hr", 30, "Tambahan TPP", "Additional TPP", (_PERCENT,)),
)}
ACTION_KINDS: tuple[str, ...] = ("reward", "coaching", "punishment")
OWNER_ROLES: tuple[str, ...] = ("hr", "atasan")


def stage_index(stage: str) -> int:
    """Position of a stage in the pipeline."""
    return STAGES.index(stage)


def fact_visible(spec: FactSpec, stage: str) -> bool:
    """True if a rule of `stage` may read the fact (scope and availability)."""
    if spec.scope == "iki" and STAGE_SCOPE[stage] != "iki":
        return False
    return stage_index(stage) >= stage_index(spec.available_from)


def catalogue_as_dict() -> dict:
    """The catalogue as JSON-ready data (for the console, the API and docs)."""
    return {
        "stages": [{"id": s, "label": {"id": STAGE_LABELS[s][0], "en": STAGE_LABELS[s][1]},
                    "scope": STAGE_SCOPE[s]} for s in STAGES],
        "facts": [{"id": f.id, "type": f.type, "label": {"id": f.label_id, "en": f.label_en}, "source": f.source,
                   "scope": f.scope, "available_from": f.available_from, "values": list(f.values)}
                  for f in _FACTS],
        "outputs": [{"id": o.id, "type": o.type, "stage": o.stage, "label": {"id": o.label_id, "en": o.label_en},
                     "values": list(o.values)} for o in OUTPUTS.values()],
        "actions": [{"code": a.code, "kind": a.kind, "owner": a.owner, "due_days": a.due_days,
                     "label": {"id": a.label_id, "en": a.label_en},
                     "params": [{"name": p.name, "type": p.type, "required": p.required, "minimum": p.minimum,
                                 "maximum": p.maximum, "values": list(p.values)} for p in a.params]}
                    for a in ACTIONS.values()],
        "operators": list(OPERATORS),
    }
