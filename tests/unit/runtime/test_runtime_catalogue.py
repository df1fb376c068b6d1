"""The catalogue: the action table of DOMAIN.md section 7, facts typed and labelled, import purity."""
from __future__ import annotations

import json
import subprocess
import sys

from engine.runtime import ACTIONS, CATALOGUE, OUTPUTS, catalogue_as_dict

SECTION_7 = {
    "penghargaan": ("reward", "hr", 60), "talent_pool": ("reward", "hr", 90),
    "prioritas_pengembangan_kompetensi": ("reward", "hr", 180), "bimbingan_kinerja": ("coaching", "atasan", 30),
    "konseling_kinerja": ("coaching", "atasan", 30), "pelatihan": ("coaching", "hr", 180),
    "penugasan_khusus": ("coaching", "atasan", 90), "usulan_mutasi": ("punishment", "hr", 90),
    "periode_perbaikan": ("punishment", "atasan", 180), "rekomendasi_hukuman_disiplin": ("punishment", "hr", 30),
    "teguran_lisan": ("punishment", "atasan", 14), "teguran_tertulis": ("punishment", "atasan", 14),
    "pernyataan_tidak_puas": ("punishment", "atasan", 14), "potong_tpp": ("punishment", "hr", 30),
    "tpp_tambahan": ("reward", "hr", 30),
}


def test_action_catalogue_matches_domain_section_7():
    assert {c: (a.kind, a.owner, a.due_days) for c, a in ACTIONS.items()} == SECTION_7
    assert [p.name for p in ACTIONS["potong_tpp"].params] == ["percent", "months"]
    assert [p.name for p in ACTIONS["tpp_tambahan"].params] == ["percent"]


def test_facts_are_typed_labelled_and_map_to_unique_fields():
    for spec in CATALOGUE.values():
        assert spec.type in ("number", "integer", "boolean", "enum", "string")
        assert spec.label_id and spec.label_en
        assert (spec.type == "enum") == bool(spec.values)
    fields = [s.field for s in CATALOGUE.values()]
    assert len(fields) == len(set(fields)) and all("." not in f for f in fields)
    assert {"rating_iki", "rating_hasil_kerja", "rating_perilaku", "predikat", "skor", "tpp_persen"} == set(OUTPUTS)


def test_catalogue_is_json_ready():
    data = json.loads(json.dumps(catalogue_as_dict()))
    assert len(data["facts"]) == len(CATALOGUE) and data["stages"][0]["id"] == "iki_rating"


def test_kernel_imports_no_web_or_database_library_and_not_durable_until_used():
    code = ("import sys, engine.runtime as rt; "
            "print(sorted(m for m in ('flask', 'sqlalchemy', 'durable') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(__import__("pathlib").Path(__file__).resolve().parents[3])).stdout.strip()
    assert out == "[]"
