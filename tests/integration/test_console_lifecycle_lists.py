"""HR's evaluation list, overdue list and bulk decide at the size of a real daerah: a page at a time, searchable,
filtered, exports that hold every row, and a decide job in batches that go on by themselves.

Before: the list showed the first 5,000 evaluations and its CSV/XLSX export held the same 5,000, with no word that
anything was left out; the overdue page put every item on one page (16 MB of HTML for 50,000 late evaluations)."""
from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert

from admin.console.paging import PAGE_SIZE
from engine.organisation import Pegawai
from tests.factories import PASSWORD, make_pegawai, make_unit, password_hash, valid_nip
from tests.forms import login, parse_forms
from tests.integration.workflows.wf_fixtures import build_world
from workflows.deadlines import overdue
from workflows.periods import open_period

TAHUN = 2025   # opened but never worked on: every plan is long overdue
EXTRA = 240    # beside build_world's five pegawai of palu: 245 evaluations, three pages


@pytest.fixture
def big(session):
    """Palu with a unit of 240 more staff and the 2025 period opened for all 245 pegawai; HR can sign in."""
    w = build_world(session)
    w.hr.password_hash = password_hash(PASSWORD)
    w.puskesmas = make_unit(session, w.palu, code="pkm", name="Puskesmas Talise")
    w.crowd = [make_pegawai(session, w.puskesmas, name=f"Perawat {i:03d}", atasan=w.kepala_p) for i in range(EXTRA)]
    open_period(session, w.hr, w.palu, TAHUN)
    session.commit()
    return w


@pytest.fixture
def hr(app, big):
    client = app.test_client()
    login(client, big.hr.username, PASSWORD)
    return client


def _ids(html: str) -> list[str]:
    return re.findall(r'<tr[^>]* data-evaluation="(\d+)"', html)


def _csrf(html: str, form_id: str) -> str:
    return dict(next(f for f in parse_forms(html) if f["id"] == form_id)["fields"])["csrf_token"]


def _page(client, path: str, **args) -> str:
    response = client.get(path, query_string=args)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_list_pages_through_every_evaluation_once(hr, big):
    base = {"daerah": big.palu.id, "tahun": TAHUN}
    first = _page(hr, "/admin/lifecycle/list/", **base)
    assert len(_ids(first)) == PAGE_SIZE and "Menampilkan 1-100 dari 245" in first
    seen = [*_ids(first)]
    for number in (2, 3):
        seen += _ids(_page(hr, "/admin/lifecycle/list/", page=number, **base))
    assert len(seen) == len(set(seen)) == EXTRA + 5
    last = _page(hr, "/admin/lifecycle/list/", page=3, **base)
    assert "Menampilkan 201-245 dari 245" in last
    assert _ids(_page(hr, "/admin/lifecycle/list/", page="99999999999999999999", **base)) == _ids(last)
    assert _ids(_page(hr, "/admin/lifecycle/list/", page="x", **base)) == _ids(first)


def test_the_list_finds_by_name_or_nip_and_keeps_the_search_across_pages(hr, big):
    base = {"daerah": big.palu.id, "tahun": TAHUN}
    assert "dari 240" in _page(hr, "/admin/lifecycle/list/", q="perawat", **base)
    assert "dari 3" in _page(hr, "/admin/lifecycle/list/", q="KEPALA", **base)  # dinas, bidang and seksi
    one = _page(hr, "/admin/lifecycle/list/", q=" kepala   seksi ", **base)  # every word, in any case and spacing
    assert len(_ids(one)) == 1 and "Kepala Seksi" in one
    by_nip = _page(hr, "/admin/lifecycle/list/", q=big.crowd[7].nip, **base)
    assert len(_ids(by_nip)) == 1 and "Perawat 007" in by_nip
    assert "Tidak ada data" in _page(hr, "/admin/lifecycle/list/", q="100%_", **base)  # % and _ are letters here
    crowd = _page(hr, "/admin/lifecycle/list/", q="Perawat", unit=big.puskesmas.id, **base)
    assert "page=2" in crowd and "q=Perawat" in crowd  # the page links keep the search and the unit


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_list_export_holds_every_row_not_one_page(hr, big, fmt):
    response = hr.get("/admin/lifecycle/export/", query_string={"daerah": big.palu.id, "tahun": TAHUN, "what": "list",
                                                                 "fmt": fmt, "unit": big.puskesmas.id})
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    else:
        rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + EXTRA
    assert {r[2] for r in rows[1:]} == {p.name for p in big.crowd}


def _late(session, big) -> list:
    """What the service finds overdue: every 2025 plan, and this year's plans still in draft (build_world's)."""
    items = overdue(session, big.hr, big.palu)
    assert sum(1 for i in items if i.name.startswith("Perawat")) == EXTRA
    return items


def test_overdue_is_paged_counted_by_who_must_act_and_filtered_by_unit(hr, session, big):
    late = _late(session, big)
    base = {"daerah": big.palu.id, "tahun": TAHUN}
    everyone = _page(hr, "/admin/lifecycle/overdue/", **base)
    assert len(_ids(everyone)) == PAGE_SIZE and f"Menampilkan 1-100 dari {len(late)}" in everyone
    pegawai = sum(1 for i in late if i.responsible_role == "pegawai")
    assert re.search(rf'data-who="pegawai"[^>]*>[^<]*<span class="badge badge-light">{pegawai}<', everyone)
    third = _page(hr, "/admin/lifecycle/overdue/", page=3, **base)
    assert _ids(third) == [str(i.evaluation_id) for i in late[200:300]]
    atasan = _page(hr, "/admin/lifecycle/overdue/", who="atasan", **base)
    assert len(_ids(atasan)) == sum(1 for i in late if i.responsible_role == "atasan") < len(late)
    unit = _page(hr, "/admin/lifecycle/overdue/", unit=big.puskesmas.id, **base)
    assert f"dari {EXTRA}" in unit and "Kepala Seksi" not in unit
    assert hr.get("/admin/lifecycle/overdue/", query_string={"who": "boss", **base}).status_code == 404


def test_the_overdue_export_holds_every_item_with_who_must_act(hr, session, big):
    late = _late(session, big)
    body = hr.get("/admin/lifecycle/export/", query_string={"daerah": big.palu.id, "tahun": TAHUN, "what": "overdue",
                                                             "fmt": "csv"}).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 1 + len(late)
    crowd = next(r for r in rows if r[3] == "Perawat 042")
    assert crowd[1] == "Belum keluar dari: rencana SKP (draf)" and crowd[8] == "pegawai yang dinilai"


def test_an_export_of_more_rows_than_the_old_cut_holds_them_all(app, session):
    """The old list stopped at 5,000 rows without a word; the export held the same 5,000."""
    w = build_world(session)
    w.hr.password_hash = password_hash(PASSWORD)
    unit = make_unit(session, w.palu, code="rsud", name="RSUD Anutapura")
    count = 5_050
    session.execute(insert(Pegawai), [{"daerah_id": w.palu.id, "unit_id": unit.id, "nip": valid_nip(50_000 + i),
                                       "name": f"Tenaga Kesehatan {i:04d}", "jabatan": "Perawat",
                                       "jenis_jabatan": "fungsional", "golongan": "III/a"} for i in range(count)])
    open_period(session, w.hr, w.palu, TAHUN)
    session.commit()
    client = app.test_client()
    login(client, w.hr.username, PASSWORD)
    args = {"daerah": w.palu.id, "tahun": TAHUN, "what": "list", "unit": unit.id}
    body = client.get("/admin/lifecycle/export/", query_string={**args, "fmt": "csv"}).get_data(as_text=True)
    assert len(list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))) == 1 + count
    book = load_workbook(io.BytesIO(client.get("/admin/lifecycle/export/", query_string={**args, "fmt": "xlsx"}).data))
    assert book.active.max_row == 1 + count
    assert f"dari {count:,}".replace(",", ".") in _page(client, "/admin/lifecycle/list/", **args)


def test_the_console_decides_a_daerah_in_batches_that_go_on_by_themselves(app, session, monkeypatch):
    """A request that decided a whole provinsi outlasted the server's timeout: the console decides DECIDE_BATCH
    at a time and the result page carries on (its continue form; bulk.js submits it by itself)."""
    from admin.console import lifecycle_views
    from tests.integration.workflows.wf_fixtures import TAHUN as YEAR, staff_in_review

    monkeypatch.setattr(lifecycle_views, "DECIDE_BATCH", 2)
    w = build_world(session)
    w.hr.password_hash = password_hash(PASSWORD)
    staff_in_review(session, w, 3)
    unrated = staff_in_review(session, w, 1, rate=False)
    client = app.test_client()
    login(client, w.hr.username, PASSWORD)
    board = client.get(f"/admin/lifecycle/?daerah={w.palu.id}&tahun={YEAR}").get_data(as_text=True)
    page = client.post(f"/admin/lifecycle/decide/?daerah={w.palu.id}&tahun={YEAR}",
                       data={"csrf_token": _csrf(board, "decide-unit-form")}).get_data(as_text=True)
    pages = [page]
    while 'id="bulk-continue"' in page:
        assert "lifecycle/bulk.js" in page
        form = next(f for f in parse_forms(page) if f["id"] == "bulk-continue")
        page = client.post(form["action"], data=dict(form["fields"])).get_data(as_text=True)
        pages.append(page)
    assert len(pages) == 2 and 'data-remaining="2"' in pages[0]
    assert 'data-count="decided">3<' in page and 'data-count="failed">1<' in page
    assert 'data-count="already">0<' in page and 'data-count="total">4<' in page
    session.expire_all()
    assert session.get(type(unrated[0]), unrated[0].id).decision_id is None


def test_the_overdue_list_marks_a_pegawai_who_left_and_gives_it_to_hr(hr, session, big):
    gone = big.crowd[0]
    gone.status = "pensiun"
    session.commit()
    page = _page(hr, "/admin/lifecycle/overdue/", daerah=big.palu.id, tahun=TAHUN, unit=big.puskesmas.id,
                 who="hr")
    assert "Perawat 000" in page and 'data-pegawai-status="pensiun"' in page and "Perawat 001" not in page
