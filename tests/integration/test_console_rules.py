"""The policy maker's rules console: real forms posted with their CSRF tokens, every page and error path."""
from __future__ import annotations

import copy
import html as html_lib
import datetime as dt
import io
import json
import re

import pytest
from sqlalchemy import func, select

from engine.runtime import content_hash
from rules.decisions import decide
from rules.models import RuleSet, RuleVersion, VersionStatus
from rules.versions import create_draft, get_version, save_draft
from tests.factories import PASSWORD, make_daerah, make_user
from tests.forms import form_data, login, parse_forms
from tests.integration.rules_fixtures import make_facts, ruled  # noqa: F401 (fixture)

URL = "/admin/rules"


def _login(client, username):
    page = login(client, username, PASSWORD)
    assert page.status_code == 200


def _form(html: str, form_id: str) -> tuple[int, dict]:
    forms = parse_forms(html)
    index = next(i for i, f in enumerate(forms) if f["id"] == form_id)
    return index, forms[index]


def _post_form(client, url: str, form_id: str, overrides: dict | None = None, follow: bool = True):
    """GET `url`, fill the form `form_id` as a browser would, POST it to its action."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    index, form = _form(html, form_id)
    return client.post(form["action"] or url, data=form_data(html, overrides, index), follow_redirects=follow)


def _draft(session, w, kind="scoring", code="palu"):
    current = get_version(session, w["admin"], code, kind)
    draft = create_draft(session, w["policy"], current.rule_set)
    session.commit()
    return draft


def _with_threshold(doc: dict, value) -> dict:
    """The palu scoring document with an override of the national hk_di_atas threshold."""
    doc = copy.deepcopy(doc)
    rules = doc["stages"].setdefault("hasil_kerja", {}).setdefault("rules", [])
    rules[:] = [r for r in rules if r.get("id") != "hk_di_atas"]
    rules.append({"id": "hk_di_atas", "label": "Ambang daerah",
                  "when": {"all": [{"fact": "capaian_tertimbang", "op": ">=", "value": value},
                                   {"fact": "jumlah_iki_utama_di_bawah", "op": "=", "value": 0}]},
                  "set": {"rating_hasil_kerja": "di_atas"}})
    return doc


def _reload(session, version_id: int) -> RuleVersion:
    session.expire_all()
    return session.get(RuleVersion, version_id)


# --- list and detail --------------------------------------------------------------------------------------------
def test_policy_maker_sees_own_daerah_kinds_and_nasional_read_only(client, ruled):
    _login(client, "kebijakan.palu")
    html = client.get(f"{URL}/").get_data(as_text=True)
    assert "Kota Palu" in html and "Aturan nasional (baseline)" in html
    assert html.count('data-daerah="palu"') == 3 and html.count('data-daerah="nasional"') == 3
    assert 'data-daerah="bantul"' not in html and "Kabupaten Bantul" not in html
    # new drafts only on the daerah's own rule sets
    assert html.count('class="btn btn-sm btn-primary new-draft"') == 3
    assert "Hanya baca: aturan nasional diubah oleh administrator." in html
    assert 'data-status="published"' in html and "2025-01-01" in html


def test_english_switch(client, ruled):
    _login(client, "kebijakan.palu")
    html = client.get(f"{URL}/?lang=en").get_data(as_text=True)
    assert "Performance rules" in html and "National rules (baseline)" in html
    assert "Scoring (ratings and predikat)" in html


def test_contoh_numbers_and_legal_basis_are_marked(client, session, ruled):
    _login(client, "kebijakan.palu")
    palu = get_version(session, ruled["admin"], "palu", "scoring")
    html = client.get(f"{URL}/v/{palu.id}/").get_data(as_text=True)
    assert 'id="contoh-banner"' in html
    # the palu skor table: every number is a contoh number; national rules are not marked
    table = html[html.index('data-rule="tpp_menurut_predikat"'):]
    table = table[:table.index("</section>")]
    assert re.search(r'<span class="contoh-num"[^>]*>100</span>', table)
    assert 'class="legal-basis contoh-text"' in table
    national = html[html.index('data-rule="iki_di_atas"'):]
    national = national[:national.index('data-rule="iki_sesuai"')]
    assert "contoh-num" not in national and "<strong>110</strong>" in national
    listing = client.get(f"{URL}/").get_data(as_text=True)
    assert 'class="legal-basis contoh-text">contoh: Perwal Palu' in listing


# --- drafts and the editor ----------------------------------------------------------------------------------------
def test_new_draft_then_editor_saves_a_threshold(client, session, ruled):
    _login(client, "kebijakan.palu")
    palu = get_version(session, ruled["admin"], "palu", "scoring")
    index_html = client.get(f"{URL}/").get_data(as_text=True)
    forms = parse_forms(index_html)
    index = next(i for i, f in enumerate(forms) if f["action"] == f"{URL}/set/{palu.rule_set_id}/draft")
    page = client.post(forms[index]["action"], data=form_data(index_html, index=index))
    assert page.status_code == 302
    draft = session.scalar(select(RuleVersion).where(RuleVersion.rule_set_id == palu.rule_set_id,
                                                     RuleVersion.status == VersionStatus.draft))
    assert page.headers["Location"].endswith(f"{URL}/v/{draft.id}/edit")
    edit = f"{URL}/v/{draft.id}/edit"
    html = client.get(edit).get_data(as_text=True)
    _, form = _form(html, "editor-form")
    posted = json.loads(dict(form["fields"])["document"])
    assert posted == draft.document  # the form carries the stored document: saving unchanged changes nothing
    page = _post_form(client, edit, "editor-form", {"document": json.dumps(_with_threshold(draft.document, 120)),
                                                    "change_note": "ambang 120"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Draf disimpan dan siap diterbitkan." in text and 'id="no-problems"' in text
    saved = _reload(session, draft.id)
    rule = next(r for r in saved.document["stages"]["hasil_kerja"]["rules"] if r["id"] == "hk_di_atas")
    assert rule["when"]["all"][0]["value"] == 120 and saved.change_note == "ambang 120"


def test_invalid_value_is_saved_as_draft_and_shown_at_its_field(client, session, ruled):
    draft = _draft(session, ruled)
    _login(client, "kebijakan.palu")
    edit = f"{URL}/v/{draft.id}/edit"
    page = _post_form(client, edit, "editor-form", {"document": json.dumps(_with_threshold(draft.document, "abc"))})
    html = page.get_data(as_text=True)
    assert "Masih ada 1 hal yang perlu diperbaiki" in html
    path = "stages.hasil_kerja.rules[hk_di_atas].when.all[0].value"
    assert f'data-path="{path}"' in html  # the summary links to the field; the script marks the field itself
    data = json.loads(re.search(r'<script type="application/json" id="editor-data">(.*?)</script>', html, re.S).group(1))
    assert [p["path"] for p in data["problems"]] == [path]
    assert "harus angka" in data["problems"][0]["message"]
    assert _reload(session, draft.id).problem_count == 1


def test_raw_yaml_saves_and_broken_text_saves_nothing(client, session, ruled):
    draft = _draft(session, ruled)
    before = content_hash(draft.document)
    _login(client, "kebijakan.palu")
    edit = f"{URL}/v/{draft.id}/edit"
    page = _post_form(client, edit, "raw-form", {"text": "pack: palu\nstages: [\n"}, follow=False)
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'id="raw-error"' in html and "tidak ada yang disimpan" in html and "baris" in html
    assert content_hash(_reload(session, draft.id).document) == before
    page = _post_form(client, edit, "raw-form", {"text": "- just\n- a list\n"}, follow=False)
    assert page.status_code == 422 and "harus berupa objek" in page.get_data(as_text=True)
    import yaml
    changed = _with_threshold(draft.document, 115)
    page = _post_form(client, edit, "raw-form", {"text": yaml.safe_dump(changed, allow_unicode=True)})
    assert page.status_code == 200
    assert content_hash(_reload(session, draft.id).document) == content_hash(changed)


@pytest.mark.parametrize("text,shown", [
    ("pack: palu\nberlaku: 2026-13-45\n", 'a date or time must be quoted text ("2026-13-45")'),  # was a 500
    ("pack: palu\nberlaku: 2026-01-01\n", "a date or time must be quoted text"),
    ("pack: palu\n1: satu\n", "a key must be text"),
    ("pack: palu\nisi: !!binary aGk=\n", "!!binary is not JSON data"),
])
def test_raw_yaml_that_is_not_json_data_is_located_and_saves_nothing(client, session, ruled, text, shown):
    draft = _draft(session, ruled)
    before = content_hash(draft.document)
    _login(client, "kebijakan.palu")
    page = _post_form(client, f"{URL}/v/{draft.id}/edit", "raw-form", {"text": text}, follow=False)
    assert page.status_code == 422
    html = html_lib.unescape(page.get_data(as_text=True))
    assert 'id="raw-error"' in html and "baris 2" in html and shown in html
    assert content_hash(_reload(session, draft.id).document) == before


def test_stale_editor_is_refused_with_409(client, session, ruled):
    draft = _draft(session, ruled)
    _login(client, "kebijakan.palu")
    edit = f"{URL}/v/{draft.id}/edit"
    html = client.get(edit).get_data(as_text=True)
    index, _ = _form(html, "editor-form")
    save_draft(session, ruled["policy2"], session.get(RuleVersion, draft.id), _with_threshold(draft.document, 111))
    session.commit()
    page = client.post(edit, data=form_data(html, {"document": json.dumps(_with_threshold(draft.document, 130))}, index))
    assert page.status_code == 409 and 'id="conflict"' in page.get_data(as_text=True)
    rule = next(r for r in _reload(session, draft.id).document["stages"]["hasil_kerja"]["rules"] if r["id"] == "hk_di_atas")
    assert rule["when"]["all"][0]["value"] == 111


def test_forged_json_is_refused(client, session, ruled):
    draft = _draft(session, ruled)
    _login(client, "kebijakan.palu")
    page = _post_form(client, f"{URL}/v/{draft.id}/edit", "editor-form", {"document": "{not json"}, follow=False)
    assert page.status_code == 400 and "tidak ada yang disimpan" in page.get_data(as_text=True)


@pytest.mark.parametrize("text,shown", [
    ("pack: palu\nx: " + "1" * 5000 + "\n", "a number has too many digits"),
    ("pack: palu\nx: &a [*a]\n", "Too deeply nested"),  # an alias that makes the list hold itself
    ("[" * 5000, "nested too deeply"),
    ("{a: " * 3000, "nested too deeply"),
    ('pack: palu\nnote: "\\ud800"\n', "lone surrogate"),
])
def test_raw_yaml_python_cannot_hold_is_refused_and_saves_nothing(client, session, ruled, text, shown):
    draft = _draft(session, ruled)
    before = content_hash(draft.document)
    _login(client, "kebijakan.palu")
    page = _post_form(client, f"{URL}/v/{draft.id}/edit", "raw-form", {"text": text}, follow=False)
    assert page.status_code == 422, page.status_code
    assert shown in html_lib.unescape(page.get_data(as_text=True))
    assert content_hash(_reload(session, draft.id).document) == before


@pytest.mark.parametrize("stages", ["[1, 2]", "x", "5", "{skor: {rules: 7}}",
                                    "{predikat: {rules: [{id: m, table: {inputs: [rating_hasil_kerja], rows: 7}}]}}"])
def test_stages_of_the_wrong_shape_are_named_and_nothing_is_saved(client, session, ruled, stages):
    draft = _draft(session, ruled)
    before = content_hash(draft.document)
    _login(client, "kebijakan.palu")
    text = f"pack: palu\nversion: '2'\nextends: nasional\nstages: {stages}\n"
    page = _post_form(client, f"{URL}/v/{draft.id}/edit", "raw-form", {"text": text}, follow=False)
    assert page.status_code == 422, page.status_code
    assert "tidak disimpan" in html_lib.unescape(page.get_data(as_text=True))
    assert content_hash(_reload(session, draft.id).document) == before
    assert client.get(f"{URL}/v/{draft.id}/").status_code == 200


@pytest.mark.parametrize("document", ['{"pack": "palu", "x": ' + "[" * 100000, '{"pack": "\\ud800"}'])
def test_visual_editor_json_python_cannot_hold_is_refused(client, session, ruled, document):
    draft = _draft(session, ruled)
    _login(client, "kebijakan.palu")
    page = _post_form(client, f"{URL}/v/{draft.id}/edit", "editor-form", {"document": document}, follow=False)
    assert page.status_code == 400 and "tidak ada yang disimpan" in page.get_data(as_text=True)


# --- publish, approval, retire --------------------------------------------------------------------------------
def test_publish_without_legal_basis_is_refused_at_the_field(client, session, ruled):
    draft = _draft(session, ruled)
    _login(client, "kebijakan.palu")
    page = _post_form(client, f"{URL}/v/{draft.id}/", "publish-form",
                      {"legal_basis": "  ", "effective_from": "2031-01-01"}, follow=False)
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'data-error-for="legal_basis">Dasar hukum wajib diisi untuk menerbitkan.' in html
    assert 'value="2031-01-01"' in html  # what was typed stays
    page = _post_form(client, f"{URL}/v/{draft.id}/", "publish-form",
                      {"legal_basis": "Perwal Palu 1/2031", "effective_from": "", "effective_to": "kemarin"},
                      follow=False)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and 'data-error-for="effective_from"' in html and 'data-error-for="effective_to"' in html
    page = _post_form(client, f"{URL}/v/{draft.id}/", "publish-form",
                      {"legal_basis": "Perwal Palu 1/2031", "effective_from": "2030-02-30"}, follow=False)
    assert 'data-error-for="effective_from">Tanggal tidak sah (TTTT-BB-HH).' in page.get_data(as_text=True)
    page = _post_form(client, f"{URL}/v/{draft.id}/", "publish-form",
                      {"legal_basis": "Perwal Palu 1/2031", "effective_from": "2031-01-01", "effective_to": "2030-01-01"},
                      follow=False)
    assert page.status_code == 422 and 'data-error-for="effective_to"' in page.get_data(as_text=True)
    version = _reload(session, draft.id)
    assert version.status == VersionStatus.draft and version.legal_basis == "" and version.content_hash is None


def test_publish_with_a_future_date_freezes_the_version(client, session, ruled):
    draft = _draft(session, ruled)
    save_draft(session, ruled["policy"], draft, _with_threshold(draft.document, 120))
    session.commit()
    _login(client, "kebijakan.palu")
    page = _post_form(client, f"{URL}/v/{draft.id}/", "publish-form",
                      {"legal_basis": "Perwal Palu Nomor 7 Tahun 2031", "effective_from": "2031-01-01",
                       "change_note": "ambang hasil kerja 120"})
    assert page.status_code == 200 and "terbit." in page.get_data(as_text=True)
    version = _reload(session, draft.id)
    assert version.status == VersionStatus.published and version.content_hash == content_hash(version.document)
    assert version.legal_basis == "Perwal Palu Nomor 7 Tahun 2031" and version.effective_from == dt.date(2031, 1, 1)
    previous = get_version(session, ruled["admin"], "palu", "scoring", 1)
    assert previous.effective_to == dt.date(2030, 12, 31)
    assert client.get(f"{URL}/v/{draft.id}/edit").get_data(as_text=True).count('id="editor-form"') == 0


def test_second_approval_by_another_policy_maker(client, session, ruled):
    draft = _draft(session, ruled)
    _login(client, "kebijakan.palu")
    listing = client.get(f"{URL}/").get_data(as_text=True)
    forms = parse_forms(listing)
    index = next(i for i, f in enumerate(forms) if f["action"] == f"{URL}/set/{draft.rule_set_id}/approval")
    assert client.post(forms[index]["action"], data=form_data(listing, index=index)).status_code == 302
    session.expire_all()
    assert session.get(RuleSet, draft.rule_set_id).requires_second_approval
    # the author cannot approve (no button; a forged post is refused) nor publish alone
    html = client.get(f"{URL}/v/{draft.id}/").get_data(as_text=True)
    assert 'id="approval-wait"' in html and 'id="approve"' not in html
    forged = client.post(f"{URL}/v/{draft.id}/approve", data={"csrf_token": dict(_form(html, "publish-form")[1]["fields"])["csrf_token"]})
    assert forged.status_code == 409 and "orang lain" in forged.get_data(as_text=True)
    page = _post_form(client, f"{URL}/v/{draft.id}/", "publish-form",
                      {"legal_basis": "Perwal Palu 2/2031", "effective_from": "2031-01-01"}, follow=False)
    assert page.status_code == 422 and "persetujuan orang kedua" in page.get_data(as_text=True)
    # a policy maker may not switch the requirement off
    csrf = dict(_form(html, "publish-form")[1]["fields"])["csrf_token"]
    assert client.post(f"{URL}/set/{draft.rule_set_id}/approval", data={"csrf_token": csrf, "required": "0"}).status_code == 403
    client.post("/logout", data={"csrf_token": csrf})
    _login(client, "kebijakan2.palu")
    html = client.get(f"{URL}/v/{draft.id}/").get_data(as_text=True)
    forms = parse_forms(html)
    index = next(i for i, f in enumerate(forms) if f["action"] == f"{URL}/v/{draft.id}/approve")
    assert client.post(forms[index]["action"], data=form_data(html, index=index)).status_code == 302
    assert _reload(session, draft.id).approved_by == "kebijakan2.palu"
    page = _post_form(client, f"{URL}/v/{draft.id}/", "publish-form",
                      {"legal_basis": "Perwal Palu 2/2031", "effective_from": "2031-01-01"})
    assert page.status_code == 200
    assert _reload(session, draft.id).status == VersionStatus.published


def test_an_edit_after_approval_needs_a_new_approval(client, session, ruled):
    draft = _draft(session, ruled)
    draft.rule_set.requires_second_approval = True
    draft.approved_by, draft.approved_at = "kebijakan2.palu", dt.datetime(2026, 1, 1)
    session.commit()
    _login(client, "kebijakan.palu")
    _post_form(client, f"{URL}/v/{draft.id}/edit", "editor-form",
               {"document": json.dumps(_with_threshold(draft.document, 125))})
    assert _reload(session, draft.id).approved_by is None


def test_retire_needs_a_reason(client, session, ruled):
    _login(client, "kebijakan.palu")
    palu = get_version(session, ruled["admin"], "palu", "coaching")
    page = _post_form(client, f"{URL}/v/{palu.id}/", "retire-form", {"reason": ""}, follow=False)
    assert page.status_code == 422 and 'data-error-for="reason">Alasan wajib diisi.' in page.get_data(as_text=True)
    assert _reload(session, palu.id).status == VersionStatus.published
    page = _post_form(client, f"{URL}/v/{palu.id}/", "retire-form", {"reason": "diganti aturan nasional"})
    assert page.status_code == 200 and _reload(session, palu.id).status == VersionStatus.retired


# --- diff, coba, impact -------------------------------------------------------------------------------------------
def test_diff_shows_human_lines(client, session, ruled):
    draft = _draft(session, ruled)
    save_draft(session, ruled["policy"], draft, _with_threshold(draft.document, 120))
    session.commit()
    _login(client, "kebijakan.palu")
    html = client.get(f"{URL}/v/{draft.id}/").get_data(as_text=True)
    link = re.search(r'id="diff-previous" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    page = client.get(link).get_data(as_text=True)
    assert "rating hasil kerja › hk_di_atas" in page and "110 -&gt; 120" in page


def test_try_panel_with_hand_entered_facts(client, session, ruled):
    draft = _draft(session, ruled)
    save_draft(session, ruled["policy"], draft, _with_threshold(draft.document, 120))
    session.commit()
    _login(client, "kebijakan.palu")
    url = f"{URL}/v/{draft.id}/try"
    fields = {"iki-0-target": "12", "iki-0-realisasi": "14", "iki-0-bobot": "100"}
    fields |= {f"perilaku-{v}": "di_atas" for v in ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis")}
    page = _post_form(client, url, "try-form", fields)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="explanation"' in html
    # capaian 116,7%: with the draft (>= 120) hasil kerja is Sesuai -> Baik; in force today (>= 110) -> Sangat Baik
    row = html[html.index('data-output="predikat"'):]
    row = row[:row.index("</tr>")]
    assert '<tr data-output="predikat" class="table-warning">' in html
    assert "Baik" in row and "Sangat Baik" in row
    assert 'id="trace"' in html and "hk_sesuai" in html
    english = _post_form(client, url + "?lang=en", "try-form", fields).get_data(as_text=True)
    assert "Predikat" in english and "because" in english


def test_try_panel_field_errors(client, session, ruled):
    draft = _draft(session, ruled)
    _login(client, "kebijakan.palu")
    url = f"{URL}/v/{draft.id}/try"
    page = _post_form(client, url, "try-form", {"iki-0-target": "dua belas"})
    html = page.get_data(as_text=True)
    assert 'data-error-for="iki-0-target">Harus angka.' in html and 'id="explanation"' not in html
    page = _post_form(client, url, "try-form", {"iki-0-bobot": "60"})
    html = page.get_data(as_text=True)
    assert 'data-error-for="iki">' in html and "jumlah bobot IKI harus 100" in html


def _decisions(session, w, year=2025):
    on = dt.date(year, 12, 31)
    strong = {v: "di_atas" for v in ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis")}
    cases = [  # (pegawai, realisasi of iki-1, perilaku)
        (w["staff"], 13, strong),        # capaian 118,3: Sangat Baik today, Baik with a threshold of 120
        (w["boss"], 16, strong),         # capaian 133,3: Sangat Baik either way
        (w["outsider"].pegawai, 6, {}),  # capaian 75: Butuh Perbaikan either way
    ]
    out = []
    for pegawai, realisasi, perilaku in cases:
        facts = make_facts(periode={"tahun": year, "jenis": "tahunan"},
                           pegawai={"nip": pegawai.nip, "jenis_jabatan": "pelaksana"})
        facts["iki"][0]["realisasi"] = realisasi
        facts["perilaku"] = {**facts["perilaku"], **perilaku}
        out.append(decide(session, w["hr"], daerah=w["palu"], pegawai=pegawai, facts=facts, on=on))
    session.commit()
    return out


def test_try_panel_prefills_a_sample_pegawai(client, session, ruled):
    decisions = _decisions(session, ruled)
    draft = _draft(session, ruled)
    _login(client, "kebijakan.palu")
    html = client.get(f"{URL}/v/{draft.id}/try").get_data(as_text=True)
    assert 'id="sample"' in html and ruled["staff"].name in html
    url = f"{URL}/v/{draft.id}/try?decision={decisions[0].id}"
    html = client.get(url).get_data(as_text=True)
    assert 'name="iki-0-realisasi" id="f-iki-0-realisasi" value="13"' in html
    page = _post_form(client, url, "try-form")
    assert "Sangat Baik" in page.get_data(as_text=True)
    assert client.get(f"{URL}/v/{draft.id}/try?decision=999999").status_code == 404


def test_impact_preview_counts_changes(client, session, ruled):
    _decisions(session, ruled)
    draft = _draft(session, ruled)
    save_draft(session, ruled["policy"], draft, _with_threshold(draft.document, 120))
    session.commit()
    _login(client, "kebijakan.palu")
    html = client.get(f"{URL}/v/{draft.id}/impact?year=2025").get_data(as_text=True)
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', html))
    assert counts == {"total": "3", "changed_predikat": "1", "changed_actions": "1", "unchanged": "2"}
    assert 'data-old="sangat_baik" data-new="baik"' in html and 'id="impact-chart"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    changed = html[html.index('id="changed"'):]
    assert ruled["staff"].name in changed and ruled["boss"].name not in changed
    empty = client.get(f"{URL}/v/{draft.id}/impact?year=2019").get_data(as_text=True)
    assert 'id="impact-empty"' in empty and "Tidak ada keputusan tersimpan untuk periode 2019" in empty
    assert "2025" in empty


# --- import / export ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx"])
def test_export_then_import_keeps_the_content_hash(client, session, ruled, fmt):
    _login(client, "kebijakan.palu")
    palu = get_version(session, ruled["admin"], "palu", "scoring")
    exported = client.get(f"{URL}/v/{palu.id}/export/{fmt}")
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    url = f"{URL}/set/{palu.rule_set_id}/import"
    html = client.get(url).get_data(as_text=True)
    index, _ = _form(html, "import-form")
    data = form_data(html, index=index)
    data["file"] = (io.BytesIO(exported.data), f"palu.{fmt}")
    page = client.post(url, data=data, content_type="multipart/form-data")
    assert page.status_code == 302
    session.expire_all()
    imported = session.scalar(select(RuleVersion).where(RuleVersion.rule_set_id == palu.rule_set_id)
                              .order_by(RuleVersion.number.desc()).limit(1))
    assert imported.status == VersionStatus.draft and imported.number == 2
    assert content_hash(imported.document) == palu.content_hash
    assert imported.extends_id == palu.extends_id and imported.problem_count == 0


@pytest.mark.parametrize(("name", "body", "message"), [
    ("rusak.yaml", b"pack: palu\nstages: [\n", "tidak terbaca"),
    ("rusak.xlsx", b"PK\x03\x04 bukan excel", "bukan berkas Excel"),
    ("daftar.json", b"[1, 2]", "harus berupa objek"),
    ("bantul.yaml", b"pack: bantul\nversion: '1'\nextends: nasional\nstages: {}\n", "untuk 'bantul', bukan 'palu'"),
    ("salah.yaml", b"pack: palu\nversion: '1'\nextends: nasional\nstages:\n  hasil_kerja:\n    rules:\n"
                   b"      - {id: x, when: {fact: capaian_tertimbang, op: '>=', value: satu}, set: {rating_hasil_kerja: di_atas}}\n",
     "1 masalah"),
    ("ketik.yaml", b"pack: palu\nversion: '1'\nextends: nasional\nstages:\n  hasil_kerja:\n    rules:\n"
                   b"      - {id: x, when: {fact: capaian_tertimbng, op: '>=', value: 1}, set: {rating_hasil_kerja: di_atas}}\n",
     "fakta 'capaian_tertimbng' tidak ada di katalog; maksud Anda 'capaian_tertimbang'?"),
])
def test_import_of_a_broken_file_saves_nothing(client, session, ruled, name, body, message):
    _login(client, "kebijakan.palu")
    palu = get_version(session, ruled["admin"], "palu", "scoring")
    url = f"{URL}/set/{palu.rule_set_id}/import"
    html = client.get(url).get_data(as_text=True)
    index, _ = _form(html, "import-form")
    data = form_data(html, index=index)
    data["file"] = (io.BytesIO(body), name)
    page = client.post(url, data=data, content_type="multipart/form-data")
    assert page.status_code == 422
    text = html_lib.unescape(page.get_data(as_text=True))
    assert 'id="import-error"' in text and message in text
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(RuleVersion)
                          .where(RuleVersion.rule_set_id == palu.rule_set_id)) == 1


def test_invalid_import_may_be_kept_as_a_draft_on_request(client, session, ruled):
    _login(client, "kebijakan.palu")
    palu = get_version(session, ruled["admin"], "palu", "scoring")
    url = f"{URL}/set/{palu.rule_set_id}/import"
    html = client.get(url).get_data(as_text=True)
    index, _ = _form(html, "import-form")
    data = form_data(html, {"keep_invalid": "1"}, index=index)
    data["file"] = (io.BytesIO(b"pack: palu\nversion: '2'\nextends: nasional\nstages:\n  skor: {rules: [{id: x, "
                                b"when: {fact: capaian_tertimbang, op: between, value: [90, 80]}, set: {skor: 1}}]}\n"),
                    "x.yaml")
    page = client.post(url, data=data, content_type="multipart/form-data")
    assert page.status_code == 302
    session.expire_all()
    draft = session.scalar(select(RuleVersion).where(RuleVersion.rule_set_id == palu.rule_set_id, RuleVersion.number == 2))
    assert draft.problem_count > 0


# --- scope and escaping -----------------------------------------------------------------------------------------
def test_another_daerahs_version_is_not_found_and_nasional_is_read_only(client, session, ruled):
    _login(client, "kebijakan.palu")
    bantul = get_version(session, ruled["admin"], "bantul", "scoring")
    nasional = get_version(session, ruled["admin"], "nasional", "scoring")
    html = client.get(f"{URL}/").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    for path in ("/", "/edit", "/try", "/impact", "/export/yaml"):
        assert client.get(f"{URL}/v/{bantul.id}{path}").status_code == 404
    assert client.get(f"{URL}/diff?a={bantul.id}&b={nasional.id}").status_code == 404
    for path in ("/publish", "/retire", "/approve", "/edit", "/raw"):
        assert client.post(f"{URL}/v/{bantul.id}{path}", data={"csrf_token": csrf}).status_code == 404
    assert client.post(f"{URL}/set/{bantul.rule_set_id}/draft", data={"csrf_token": csrf}).status_code == 404
    # nasional: readable, never writable by a daerah policy maker
    assert client.get(f"{URL}/v/{nasional.id}/").status_code == 200
    assert client.post(f"{URL}/set/{nasional.rule_set_id}/draft", data={"csrf_token": csrf}).status_code == 403
    assert client.post(f"{URL}/v/{nasional.id}/retire", data={"csrf_token": csrf, "reason": "x"}).status_code == 403
    session.expire_all()
    assert session.get(RuleVersion, nasional.id).status == VersionStatus.published
    assert session.scalar(select(func.count()).select_from(RuleVersion)) == 18


def test_readers_cannot_write(client, session, ruled):
    draft = _draft(session, ruled)
    _login(client, "auditor.palu")
    html = client.get(f"{URL}/").get_data(as_text=True)
    assert "new-draft" not in html and "Kota Palu" in html
    edit = client.get(f"{URL}/v/{draft.id}/edit").get_data(as_text=True)
    assert 'id="editor-form"' not in edit and 'data-readonly="1"' in edit
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', edit).group(1)
    assert client.post(f"{URL}/v/{draft.id}/edit", data={"csrf_token": csrf, "document": "{}"}).status_code == 403
    assert client.post(f"{URL}/v/{draft.id}/publish", data={"csrf_token": csrf, "legal_basis": "x",
                                                            "effective_from": "2031-01-01"}).status_code == 403
    assert _reload(session, draft.id).status == VersionStatus.draft


def test_anonymous_is_sent_to_login(client, ruled):
    page = client.get(f"{URL}/")
    assert page.status_code == 302 and "/login" in page.headers["Location"]


def test_user_text_is_escaped(client, session, ruled):
    draft = _draft(session, ruled)
    doc = _with_threshold(draft.document, 120)
    rule = next(r for r in doc["stages"]["hasil_kerja"]["rules"] if r["id"] == "hk_di_atas")
    rule["label"], rule["note"] = "<b>x</b>", "<script>alert(1)</script>"
    save_draft(session, ruled["policy"], draft, doc, change_note="<i>catatan</i>")
    session.commit()
    _login(client, "kebijakan.palu")
    for url in (f"{URL}/v/{draft.id}/", f"{URL}/v/{draft.id}/edit", f"{URL}/"):
        html = client.get(url).get_data(as_text=True)
        assert "<b>x</b>" not in html and "<script>alert(1)</script>" not in html and "<i>catatan</i>" not in html
    view = client.get(f"{URL}/v/{draft.id}/").get_data(as_text=True)
    assert "&lt;b&gt;x&lt;/b&gt;" in view and "&lt;i&gt;catatan&lt;/i&gt;" in view
    edit = client.get(f"{URL}/v/{draft.id}/edit").get_data(as_text=True)
    assert "\\u003cb\\u003ex\\u003c/b\\u003e" in edit  # the editor's data block cannot close its script tag


def test_start_rules_for_a_daerah_without_a_rule_set(client, session, ruled):
    nasional_set = get_version(session, ruled["admin"], "nasional", "coaching")
    daerah = make_daerah(session, code="sigi", name="Kabupaten Sigi")
    make_user(session, username="kebijakan.sigi", roles=[("policy_maker", daerah)])
    session.commit()
    _login(client, "kebijakan.sigi")
    html = client.get(f"{URL}/").get_data(as_text=True)
    assert html.count("Daerah ini memakai aturan nasional untuk jenis ini.") == 3
    forms = parse_forms(html)
    index = next(i for i, f in enumerate(forms) if f["action"] == f"{URL}/start" and ("kind", "coaching") in f["fields"])
    page = client.post(forms[index]["action"], data=form_data(html, index=index))
    assert page.status_code == 302
    session.expire_all()
    version = session.scalar(select(RuleVersion).join(RuleSet).where(RuleSet.daerah_id == daerah.id))
    assert version.extends_id == nasional_set.id and version.document["pack"] == "sigi"
