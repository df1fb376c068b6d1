"""The console page where HR imports pegawai from a SIASN export (CSV or XLSX), checks it first if they wish, and
sees every problem as a table of row, column and message: every row is stored, or none (engine.siasn)."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from admin.console.base import in_scope
from admin.extensions import db
from admin.i18n import TEXT, both, current_language, t
from engine.audit import set_actor
from engine.organisation import Daerah
from engine.runtime.errors import EngineError, NotAllowed
from engine.siasn import COLUMNS, MAX_ROWS, ImportResult, import_pegawai, problem_cell, read_table

SHOWN = 500  #: problems listed on the page; the count says how many there are in all

TEXT.update({
    "imp.menu": ("Impor SIASN", "SIASN import"),
    "imp.title": ("Impor pegawai dari SIASN", "Import employees from SIASN"),
    "imp.intro": ("Unggah ekspor pegawai SIASN (BKN): CSV berpemisah ; atau , dalam UTF-8, atau XLSX; baris pertama "
                  "berisi nama kolom. Semua baris disimpan, atau tidak satu pun: setiap masalah ditunjukkan dengan "
                  "baris dan kolomnya. NIP yang sudah ada di daerah ini diperbarui. Paling banyak {rows} baris dan "
                  "5 MiB per berkas.",
                  "Upload a SIASN (BKN) employee export: CSV separated by ; or , in UTF-8, or XLSX; the first row "
                  "holds the column names. Every row is stored, or none: each problem is shown with its row and "
                  "column. A NIP already in this daerah is updated. At most {rows} rows and 5 MiB per file."),
    "imp.daerah": ("Daerah", "Daerah"),
    "imp.file": ("Berkas SIASN", "SIASN file"),
    "imp.of_file": ("Berkas: {name}", "File: {name}"),
    "imp.check": ("Periksa saja", "Check only"),
    "imp.run": ("Impor", "Import"),
    "imp.template": ("Unduh templat CSV", "Download the CSV template"),
    "imp.columns": ("Kolom yang dibaca", "Columns read"),
    "imp.col.column": ("Kolom", "Column"),
    "imp.col.use": ("Kegunaan", "Use"),
    "imp.col.row": ("Baris", "Row"),
    "imp.col.problem": ("Masalah", "Problem"),
    "imp.no_file": ("Pilih berkas CSV atau XLSX.", "Choose a CSV or XLSX file."),
    "imp.no_daerah": ("Pilih daerah tujuan impor.", "Choose the daerah to import into."),
    "imp.more": ("Ditampilkan {shown} dari {total} masalah; perbaiki ini lalu periksa lagi.",
                 "Showing {shown} of {total} problems; fix these and check again."),
    "imp.result": ("{rows} baris: {created} pegawai baru, {updated} diubah{status}, {unchanged} tanpa perubahan, "
                   "{units} unit kerja baru.",
                   "{rows} rows: {created} new employees, {updated} changed{status}, {unchanged} unchanged, {units} "
                   "new work units."),
    "imp.result.status": (" ({n} di antaranya statusnya)", " ({n} of them in their status)"),
    "imp.checked": ("Pemeriksaan berhasil, belum ada yang disimpan. {summary} Pilih berkas yang sama lalu klik "
                    "Impor untuk menyimpannya.",
                    "The check passed; nothing is stored yet. {summary} Choose the same file and click Import to "
                    "store it."),
    "imp.not_in_file": ("{n} pegawai aktif daerah ini tidak ada di berkas. Bila berkas ini ekspor seluruh daerah, "
                        "periksa apakah mereka pensiun atau pindah, lalu ubah statusnya (impor hanya mengubah status pegawai yang ada "
                        "di berkas, dari kolom KEDUDUKAN HUKUM).",
                        "{n} aktif employees of this daerah are not in the file. If the file is the whole daerah's "
                        "export, check whether they retired or moved away, and change their status (the import "
                        "changes only the status of employees in the file, from the KEDUDUKAN HUKUM column)."),
    "imp.done": ("Impor {daerah} selesai. {summary}", "Import into {daerah} done. {summary}"),
    "imp.use.NIP BARU": ("wajib: NIP 18 digit; pegawai daerah ini dengan NIP yang sama diperbarui",
                         "required: the 18-digit NIP; an employee of this daerah with the same NIP is updated"),
    "imp.use.NAMA": ("wajib: nama, dengan GELAR DEPAN dan GELAR BELAKANG bila ada",
                     "required: the name, with GELAR DEPAN and GELAR BELAKANG when given"),
    "imp.use.GELAR DEPAN": ("gelar di depan nama", "degree before the name"),
    "imp.use.GELAR BELAKANG": ("gelar di belakang nama", "degree after the name"),
    "imp.use.JABATAN NAMA": ("wajib: nama jabatan", "required: the position's name"),
    "imp.use.JENIS JABATAN": ("wajib: jpt, administrator, pengawas, pelaksana, fungsional, atau teks SIASN seperti "
                              "\"Fungsional Tertentu\", \"Fungsional Umum\", \"Struktural\" (dengan ESELON)",
                              "required: jpt, administrator, pengawas, pelaksana, fungsional, or a SIASN text such "
                              "as \"Fungsional Tertentu\", \"Fungsional Umum\", \"Struktural\" (with ESELON)"),
    "imp.use.ESELON": ("eselon I-IV, untuk jabatan struktural", "eselon I-IV, for a structural position"),
    "imp.use.GOL AKHIR NAMA": ("wajib: golongan, misalnya III/a atau \"Penata Muda (III/a)\"",
                               "required: the golongan, e.g. III/a or \"Penata Muda (III/a)\""),
    "imp.use.UNOR ID": ("unit kerja menurut kodenya; dibuat bila belum ada dan UNOR NAMA diisi",
                        "the work unit by its code; created when missing and UNOR NAMA is given"),
    "imp.use.UNOR NAMA": ("unit kerja menurut namanya, bila UNOR ID kosong",
                          "the work unit by its name, when UNOR ID is empty"),
    "imp.use.ATASAN NIP": ("NIP atasan langsung, di berkas atau sudah di daerah ini",
                           "the direct atasan's NIP, in the file or already in this daerah"),
    "imp.use.KEDUDUKAN HUKUM": ("status pegawai: Aktif, Pensiun, Pindah (Mutasi Keluar), Berhenti (Diberhentikan), "
                                "Meninggal, atau teks SIASN yang setara; kosong: status tetap (pegawai baru aktif). "
                                "CLTN, pemberhentian sementara dan sejenisnya ditolak: HR yang memutuskan",
                                "the employee's status: Aktif, Pensiun, Pindah (Mutasi Keluar), Berhenti "
                                "(Diberhentikan), Meninggal, or the matching SIASN text; blank: the status stays (a "
                                "new employee is aktif). CLTN, temporary suspension and the like are refused: HR "
                                "decides"),
})


def _summary(result: ImportResult) -> str:
    return t("imp.result", rows=result.rows, created=result.created, updated=result.updated,
             unchanged=result.unchanged, units=result.units_created,
             status=t("imp.result.status", n=result.status_changed) if result.status_changed else "")


def _problem_rows(problems) -> list[dict]:
    rows = []
    for problem in problems:
        row, column, message_id, message_en = problem_cell(problem)
        rows.append({"row": row, "column": column, "message": both(message_id, message_en)})
    return rows


class PegawaiImportMixin:
    """The import page of the pegawai view (`/admin/pegawai/import/`): HR of a daerah, or an administrator."""

    def _import_daerah(self) -> list[Daerah]:
        query = in_scope(db.session.query(Daerah), Daerah.id, self.write())
        return query.order_by(Daerah.name).all()

    def _chosen_daerah(self, choices: list[Daerah]) -> Daerah | None:
        if len(choices) == 1:
            return choices[0]
        code = request.form.get("daerah", "")
        return next((d for d in choices if d.code == code), None)

    @expose("/import/", methods=("GET", "POST"))
    def import_view(self):
        """The upload form; on POST, check (nothing stored) or import the file."""
        choices = self._import_daerah()
        if not choices:
            abort(403)
        page = {"choices": choices, "chosen": request.form.get("daerah", ""), "columns": COLUMNS, "max_rows": MAX_ROWS}
        if request.method == "GET":
            return self.render("masterdata/pegawai_import.html", **page)
        upload = request.files.get("file")  # over 5 MiB: CSRFProtect, reading the form first, answers 413
        daerah = self._chosen_daerah(choices)
        if daerah is None:
            return self.render("masterdata/pegawai_import.html", error=t("imp.no_daerah"), field="daerah",
                               **page), 422
        if upload is None or not upload.filename:
            return self.render("masterdata/pegawai_import.html", error=t("imp.no_file"), field="file", **page), 422
        page["filename"] = upload.filename
        check_only = request.form.get("mode") != "import"
        set_actor(db.session, current_user)
        try:
            rows = read_table(upload.filename, upload.read())
            result = import_pegawai(db.session, current_user, daerah, rows)
        except NotAllowed:
            db.session.rollback()
            abort(403)
        except EngineError as error:
            db.session.rollback()
            problems = _problem_rows(error.problems)
            return self.render("masterdata/pegawai_import.html", error=error.message(current_language()),
                               field=error.field, problems=problems[:SHOWN], total=len(problems), **page), 422
        if check_only:
            db.session.rollback()
            return self.render("masterdata/pegawai_import.html", checked=t("imp.checked", summary=_summary(result)),
                               missing=result.not_in_file[:SHOWN], missing_total=len(result.not_in_file), **page)
        db.session.commit()
        flash(t("imp.done", daerah=daerah.name, summary=_summary(result)), "success")
        if result.not_in_file:
            flash(t("imp.not_in_file", n=len(result.not_in_file)), "info")
        return redirect(url_for(".index_view"))

    @expose("/import/template.csv")
    def import_template(self):
        """A CSV file holding the column names the import reads (UTF-8 with BOM, so Excel opens it as UTF-8)."""
        if not self._import_daerah():
            abort(403)
        return Response("\ufeff" + ";".join(COLUMNS) + "\r\n", mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=siasn-template.csv"})

