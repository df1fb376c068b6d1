"""Texts of the public pages and of HR's transparency console (merged into admin.i18n.TEXT)."""
from admin.i18n import TEXT

TEXT.update({
    # public pages
    "pub.title": ("Transparansi kinerja ASN", "ASN performance transparency"),
    "pub.index.lead": ("Laporan kinerja yang dipublikasikan pemerintah daerah dan survei kepuasan layanan publik.",
                       "Performance reports published by regional governments, and public service satisfaction "
                       "surveys."),
    "pub.reports": ("Laporan kinerja tahunan", "Annual performance reports"),
    "pub.surveys": ("Survei kepuasan masyarakat", "Public satisfaction surveys"),
    "pub.none": ("Belum ada yang dipublikasikan.", "Nothing has been published yet."),
    "pub.report.title": ("Laporan Kinerja ASN {daerah} Tahun {tahun}", "ASN Performance Report {daerah} {tahun}"),
    "pub.report.as_of": ("Data per {date} (zona waktu {tz}).", "Data as of {date} ({tz} time zone)."),
    "pub.report.rule": ("Laporan ini hanya memuat angka agregat: tanpa nama, NIP atau nilai perorangan. Perangkat "
                        "daerah dengan kurang dari {k} pegawai dinilai digabung ke baris \"Unit lainnya\". Setiap "
                        "jumlah 1 sampai {k1} disembunyikan (*), dan sel lain ikut disembunyikan (*) bila sel "
                        "tersembunyi dapat dihitung dari total baris atau kolom.",
                        "This report holds aggregates only: no names, NIPs or individual values. Perangkat daerah "
                        "with fewer than {k} assessed employees are merged into the \"Other units\" row. Every "
                        "count from 1 to {k1} is hidden (*), and other cells are hidden too (*) wherever a hidden "
                        "one could be worked out from a row or column total."),
    "pub.hidden": ("disembunyikan (aturan sel kecil)", "hidden (small-cell rule)"),
    "pub.summary": ("Ringkasan", "Summary"),
    "pub.pegawai": ("Pegawai di daerah", "Employees in the daerah"),
    "pub.evaluations": ("Evaluasi kinerja tahun {tahun}", "Performance evaluations of {tahun}"),
    "pub.assessed": ("Pegawai yang sudah dinilai", "Employees assessed"),
    "pub.distribution": ("Distribusi predikat kinerja", "Distribution of performance ratings"),
    "pub.distribution.lead": ("Predikat akhir pegawai per perangkat daerah (dinas, badan atau bagian beserta unit "
                              "di bawahnya), dibandingkan dengan kurva distribusi (PermenPANRB 6/2022) menurut "
                              "predikat kinerja organisasinya. Sebuah batasan kurva hanya dinilai bila hasilnya sudah "
                              "pasti dari sel yang ditampilkan, agar tidak membuka isi sel tersembunyi.",
                              "Final employee ratings per perangkat daerah (an agency, office or bureau with the "
                              "units below it), against the distribution curve (PermenPANRB 6/2022) for its "
                              "organisational rating. A curve constraint is judged only when the cells shown settle it, "
                              "so the verdict never reveals what a hidden cell holds."),
    "pub.kurva.hidden": ("{n} batasan tidak dapat dinilai dari sel yang ditampilkan",
                         "{n} constraint(s) cannot be judged from the cells shown"),
    "pub.unit": ("Unit kerja", "Work unit"),
    "pub.n": ("Dinilai", "Assessed"),
    "pub.kurva": ("Kurva distribusi", "Distribution curve"),
    "pub.kurva.ok": ("sesuai kurva", "within the curve"),
    "pub.kurva.org": ("predikat organisasi: {org}", "organisational rating: {org}"),
    "pub.kurva.assumed": ("predikat organisasi belum ditetapkan; diperiksa sebagai {org}",
                          "organisational rating not set; checked as {org}"),
    "pub.kurva.summary": ("{bad} dari {n} perangkat daerah yang dapat dinilai menyimpang dari kurva distribusi.",
                          "{bad} of the {n} perangkat daerah that can be judged depart from the distribution curve."),
    "pub.kurva.none": ("Belum ada perangkat daerah yang dapat dinilai terhadap kurva distribusi dari sel yang "
                       "ditampilkan: setiap batasan bergantung pada sel yang disembunyikan.",
                       "No perangkat daerah can be judged against the distribution curve from the cells shown yet: "
                       "every constraint depends on a hidden cell."),
    "pub.other": ("Unit lainnya", "Other units"),
    "pub.other.units": ("gabungan: {units}", "merged: {units}"),
    "pub.total": ("Seluruh daerah", "Whole daerah"),
    "pub.suppressed_all": ("Terlalu sedikit pegawai yang sudah dinilai untuk ditampilkan.",
                           "Too few employees assessed to be shown."),
    "pub.no_data": ("Belum ada data.", "No data yet."),
    "pub.chart": ("Grafik distribusi predikat (persen pegawai dinilai)", "Rating distribution chart (percent of "
                  "assessed employees)"),
    "pub.timeliness": ("Ketepatan waktu", "Timeliness"),
    "pub.timeliness.lead": ("Bagian evaluasi yang mencapai setiap tahap sebelum batas waktu daerah.",
                            "Share of evaluations that reached each stage by the daerah's deadline."),
    "pub.milestone": ("Tahap", "Stage"),
    "pub.due": ("Batas waktu", "Deadline"),
    "pub.on_time": ("Tepat waktu", "On time"),
    "pub.late": ("Terlambat", "Late"),
    "pub.open_overdue": ("Belum, lewat batas", "Not yet, overdue"),
    "pub.open_not_due": ("Belum jatuh tempo", "Not yet due"),
    "pub.on_time_share": ("% tepat waktu", "% on time"),
    "pub.follow_ups": ("Tindak lanjut hasil evaluasi", "Follow-up actions"),
    "pub.action": ("Tindak lanjut", "Action"),
    "pub.kind": ("Jenis", "Kind"),
    "pub.kind.reward": ("penghargaan", "reward"),
    "pub.kind.coaching": ("pembinaan", "coaching"),
    "pub.kind.punishment": ("sanksi", "sanction"),
    "pub.done": ("Selesai", "Done"),
    "pub.open": ("Berjalan", "Open"),
    "pub.count": ("Jumlah", "Count"),
    "pub.versions": ("Aturan penilaian yang berlaku", "Assessment rules in force"),
    "pub.versions.lead": ("Versi aturan yang berlaku pada akhir periode dan yang dipakai keputusan tahun ini, dengan "
                          "dasar hukumnya. Versi bertanda contoh adalah contoh, bukan peraturan sebenarnya.",
                          "Rule versions in force at the period's end and those the year's decisions used, with "
                          "their legal basis. Versions marked example are examples, not real regulations."),
    "pub.version": ("Versi", "Version"),
    "pub.legal_basis": ("Dasar hukum", "Legal basis"),
    "pub.effective": ("Berlaku", "In force"),
    "pub.used": ("dipakai keputusan", "used by decisions"),
    "pub.ikm": ("Indeks Kepuasan Masyarakat (IKM)", "Public Satisfaction Index (IKM)"),
    "pub.ikm.lead": ("Dihitung dari survei kepuasan masyarakat (9 unsur, skala 1-4, PermenPANRB 14/2017). Mutu: A "
                     "88,31-100; B 76,61-88,30; C 65,00-76,60; D 25,00-64,99.",
                     "Computed from the public satisfaction survey (9 elements, scale 1-4, PermenPANRB 14/2017). "
                     "Grades: A 88.31-100; B 76.61-88.30; C 65.00-76.60; D 25.00-64.99."),
    "pub.service": ("Layanan", "Service"),
    "pub.index": ("Indeks", "Index"),
    "pub.mutu": ("Mutu", "Grade"),
    "pub.respondents": ("Responden", "Respondents"),
    "pub.excluded": ("Dikecualikan (spam)", "Excluded (spam)"),
    "pub.csv": ("Unduh CSV", "Download CSV"),
    "pub.print": ("Versi cetak", "Printable version"),
    "pub.back": ("Kembali", "Back"),
    "pub.daerah.reports": ("Laporan yang dipublikasikan", "Published reports"),
    "pub.daerah.surveys": ("Beri penilaian layanan", "Rate a service"),
    "pub.contoh_note": ("Data demo: nama, unit dan angka adalah contoh.", "Demo data: names, units and figures are "
                        "examples."),
    # the survey form
    "survey.title": ("Survei Kepuasan Masyarakat", "Public Satisfaction Survey"),
    "survey.lead": ("Nilai layanan \"{service}\" di {unit}. Survei ini anonim: kami tidak mencatat nama atau alamat "
                    "Anda. Komentar ditampilkan setelah diperiksa petugas.",
                    "Rate the service \"{service}\" at {unit}. The survey is anonymous: we keep neither your name "
                    "nor your address. Comments are shown after staff have checked them."),
    "survey.scale": ("1 = tidak baik, 2 = kurang baik, 3 = baik, 4 = sangat baik",
                     "1 = bad, 2 = poor, 3 = good, 4 = very good"),
    "survey.comment": ("Komentar atau saran (tidak wajib, paling banyak {n} karakter)",
                       "Comment or suggestion (optional, at most {n} characters)"),
    "survey.challenge": ("Pertanyaan keamanan: berapa {a} + {b}?", "Security question: what is {a} + {b}?"),
    "survey.submit": ("Kirim penilaian", "Send rating"),
    "survey.thanks": ("Terima kasih, penilaian Anda sudah kami terima.", "Thank you, we have received your rating."),
    "survey.thanks.comment": ("Komentar Anda akan tampil setelah diperiksa petugas.",
                              "Your comment will be shown after staff have checked it."),
    "survey.current": ("IKM {tahun} sejauh ini", "IKM {tahun} so far"),
    "survey.comments": ("Komentar masyarakat", "Public comments"),
    "survey.excluded": ("{n} tanggapan dikecualikan sebagai spam.", "{n} responses were excluded as spam."),
    "survey.error": ("Penilaian belum terkirim. Periksa isian berikut.", "Your rating was not sent. Please check "
                     "the following."),
    "survey.error.score": ("Setiap unsur wajib dinilai 1 sampai 4.", "Every element must be rated 1 to 4."),
    "survey.error.wrong": ("Jawaban pertanyaan keamanan salah. Coba pertanyaan yang baru.",
                           "The answer to the security question is wrong. Try the new question."),
    "survey.error.too_fast": ("Formulir dikirim terlalu cepat. Periksa kembali isian Anda lalu kirim lagi.",
                              "The form was sent too fast. Check your answers and send again."),
    "survey.error.expired": ("Formulir sudah terlalu lama terbuka. Silakan kirim lagi.",
                             "The form was open too long. Please send it again."),
    "survey.error.invalid": ("Formulir tidak valid. Silakan kirim lagi.", "The form is not valid. Please send it "
                             "again."),
    "survey.error.bot": ("Formulir tidak dapat diterima.", "The form cannot be accepted."),
    "survey.throttled": ("Terlalu banyak penilaian dari alamat Anda. Coba lagi dalam {minutes} menit.",
                         "Too many ratings from your address. Try again in {minutes} minutes."),
    "survey.q.persyaratan": ("Kesesuaian persyaratan pelayanan dengan jenis pelayanannya",
                             "How well the requirements fit the service"),
    "survey.q.prosedur": ("Kemudahan prosedur pelayanan", "How easy the procedure is"),
    "survey.q.waktu": ("Kecepatan waktu pelayanan", "How fast the service is"),
    "survey.q.biaya": ("Kewajaran biaya/tarif (gratis = 4)", "How fair the fee is (free = 4)"),
    "survey.q.produk": ("Kesesuaian hasil pelayanan dengan standar yang dijanjikan",
                        "How well the result matches the promised standard"),
    "survey.q.kompetensi": ("Kemampuan petugas dalam memberikan pelayanan", "How competent the staff are"),
    "survey.q.perilaku": ("Kesopanan dan keramahan petugas", "How polite and friendly the staff are"),
    "survey.q.pengaduan": ("Penanganan pengaduan, saran dan masukan", "How complaints and suggestions are handled"),
    "survey.q.sarana": ("Kualitas sarana dan prasarana", "How good the facilities are"),
    "month.1": ("Jan", "Jan"), "month.2": ("Feb", "Feb"), "month.3": ("Mar", "Mar"), "month.4": ("Apr", "Apr"),
    "month.5": ("Mei", "May"), "month.6": ("Jun", "Jun"), "month.7": ("Jul", "Jul"), "month.8": ("Agu", "Aug"),
    "month.9": ("Sep", "Sep"), "month.10": ("Okt", "Oct"), "month.11": ("Nov", "Nov"), "month.12": ("Des", "Dec"),
    # HR console
    "menu.transparency": ("Transparansi", "Transparency"),
    "menu.public_reports": ("Laporan publik", "Public reports"),
    "menu.surveys": ("Survei kepuasan", "Satisfaction surveys"),
    "menu.moderation": ("Moderasi komentar", "Comment moderation"),
    "pa.daerah": ("Daerah", "Daerah"),
    "pa.choose": ("Tampilkan", "Show"),
    "pa.reports.lead": ("Pilih tahun yang laporannya dipublikasikan di situs publik tanpa login. Laporan hanya berisi "
                        "angka agregat.", "Choose the years whose report is published on the public site without "
                        "login. The report holds aggregates only."),
    "pa.year": ("Tahun", "Year"),
    "pa.status": ("Status", "Status"),
    "pa.published": ("dipublikasikan", "published"),
    "pa.not_published": ("tidak dipublikasikan", "not published"),
    "pa.publish": ("Publikasikan", "Publish"),
    "pa.withdraw": ("Tarik", "Withdraw"),
    "pa.view": ("Lihat halaman publik", "View public page"),
    "pa.changed": ("Diubah oleh {who}", "Changed by {who}"),
    "pa.saved": ("Tersimpan.", "Saved."),
    "pa.surveys.lead": ("Buka atau tutup formulir survei kepuasan per unit kerja. Indeks unit ditulis ke data layanan "
                        "periode tahunan sehingga aturan daerah yang memakai kepuasan masyarakat melihatnya.",
                        "Open or close the satisfaction form per work unit. The unit's index is written into the "
                        "tahunan period's service figures, so the daerah's rules that use public satisfaction see "
                        "it."),
    "pa.form.open": ("terbuka", "open"),
    "pa.form.closed": ("ditutup", "closed"),
    "pa.form.none": ("belum ada", "none"),
    "pa.open_form": ("Buka formulir", "Open form"),
    "pa.close_form": ("Tutup", "Close"),
    "pa.reopen": ("Buka lagi", "Reopen"),
    "pa.jenis": ("Jenis layanan", "Service kind"),
    "pa.title": ("Nama layanan", "Service name"),
    "pa.responses": ("Tanggapan per bulan", "Responses per month"),
    "pa.month": ("Bulan", "Month"),
    "pa.pending": ("Komentar menunggu", "Comments waiting"),
    "pa.sync": ("Tulis IKM ke data layanan", "Write IKM into service figures"),
    "pa.synced": ("IKM ditulis untuk {n} unit.", "IKM written for {n} units."),
    "pa.public_link": ("Alamat formulir publik", "Public form address"),
    "pa.moderation.lead": ("Komentar tampil di halaman publik hanya setelah disetujui. Tanggapan spam dapat "
                           "dikecualikan dari indeks dengan alasan (tercatat di log audit dan jumlahnya ditampilkan "
                           "ke publik).", "Comments are shown publicly only once approved. Spam responses can be "
                           "excluded from the index with a reason (recorded in the audit log; the public page shows "
                           "how many)."),
    "pa.approve": ("Setujui", "Approve"),
    "pa.reject": ("Tolak", "Reject"),
    "pa.exclude": ("Kecualikan sebagai spam", "Exclude as spam"),
    "pa.reason": ("Alasan", "Reason"),
    "pa.submitted": ("Dikirim", "Sent"),
    "pa.comment": ("Komentar", "Comment"),
    "pa.status.pending": ("menunggu", "waiting"),
    "pa.status.approved": ("disetujui", "approved"),
    "pa.status.rejected": ("ditolak", "rejected"),
    "pa.scores": ("Nilai unsur", "Element scores"),
    "pa.readonly": ("Hanya baca: perubahan hanya oleh kepegawaian daerah ini.",
                    "Read only: only this daerah's HR may make changes."),
})
