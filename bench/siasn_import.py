"""Benchmark of the SIASN pegawai import at the size of a kabupaten, on a real database:

1. a SIASN-shaped CSV of N new pegawai with the ~45 columns of a real export (the import reads 11), a supervision
   tree of 10 reports per atasan, spread over 200 units that the import creates;
2. the import as the console and the API run it (`read_table` then `import_pegawai`: every row checked, inserted in
   chain order, one audit row each), then the commit;
3. the baseline, in the same process on a second daerah: the same rows inserted with one plain Core executemany
   (no checks, no atasan, no audit), as a floor for what storing them costs at all.

    .venv/bin/python bench/siasn_import.py --rows 10000                      # SQLite in a temporary folder
    .venv/bin/python bench/siasn_import.py --url postgresql+psycopg://postgres@127.0.0.1:5432/import_bench --reset

Prints the seconds, rows/s and the peak RSS of the import, and its ratio to the baseline. `--reset` empties the
target database first (all tables dropped): never point it at a database you need.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import create_engine, insert  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from lifecycle import migrate, rss_mb  # noqa: E402

EXTRA = ["PNS ID", "NIP LAMA", "TEMPAT LAHIR", "TANGGAL LAHIR", "JENIS KELAMIN", "AGAMA", "JENIS KAWIN", "NIK",
         "NOMOR HP", "EMAIL", "ALAMAT", "NPWP", "BPJS", "JENIS PEGAWAI", "KEDUDUKAN HUKUM", "STATUS CPNS PNS",
         "KARTU ASN", "NOMOR SK CPNS", "TANGGAL SK CPNS", "TMT CPNS", "NOMOR SK PNS", "TANGGAL SK PNS", "TMT PNS",
         "GOL AWAL NAMA", "TMT GOLONGAN", "MK TAHUN", "MK BULAN", "TMT JABATAN", "TINGKAT PENDIDIKAN NAMA",
         "PENDIDIKAN NAMA", "TAHUN LULUS", "KPKN NAMA", "LOKASI KERJA NAMA", "INSTANSI INDUK NAMA"]
READ = ["NIP BARU", "NAMA", "GELAR DEPAN", "GELAR BELAKANG", "JABATAN NAMA", "JENIS JABATAN NAMA", "ESELON",
        "GOL AKHIR NAMA", "UNOR ID", "UNOR NAMA", "ATASAN NIP"]
UNITS = 200


def siasn_file(rows: int) -> bytes:
    """The CSV: NIPs from tests.factories.valid_nip, each row's atasan the row (i - 1) // 10."""
    from tests.factories import valid_nip

    lines = [";".join(READ + EXTRA)]
    for i in range(rows):
        atasan = valid_nip(100_000 + (i - 1) // 10) if i else ""
        read = [valid_nip(100_000 + i), f"Pegawai Uji {i}", "", "S.T.", "Analis Kebijakan Ahli Muda",
                "Fungsional Tertentu", "", "Penata (III/c)", f"unor-{i % UNITS:03d}", f"Unit Kerja {i % UNITS}",
                atasan]
        extra = [f"8ae483{i:010d}", "", "Kota Contoh", "1985-03-12", "Wanita", "Islam", "Menikah", f"72{i:014d}",
                 f"0812{i:08d}", f"pegawai{i}@contoh.go.id", "Jl. Contoh No. 1", "", "", "PNS Daerah", "Aktif",
                 "PNS", "", "800/1/2010", "2010-01-01", "2010-01-01", "821/2/2011", "2011-01-01", "2011-01-01",
                 "III/a", "2018-04-01", "15", "3", "2022-01-01", "S-1/Sarjana", "Ilmu Administrasi Negara",
                 "2008", "KPPN Contoh", "Kota Contoh", "Pemerintah Kota Contoh"]
        lines.append(";".join(read + extra))
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def main(argv: list[str] | None = None) -> None:
    """Build the file, run the import and the baseline, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="pegawai in the file (default 10000, the cap)")
    parser.add_argument("--url", help="database URL (default: SQLite in a temporary folder)")
    parser.add_argument("--reset", action="store_true", help="drop every table of --url first")
    args = parser.parse_args(argv)
    folder = tempfile.TemporaryDirectory()
    url = args.url or f"sqlite:///{folder.name}/import.db"
    migrate(url, args.reset)

    from engine import siasn
    from engine.audit import set_actor
    from engine.identity import RoleGrant, User
    from engine.organisation import Daerah, Pegawai, UnitKerja

    data = siasn_file(args.rows)
    engine = create_engine(url)
    with Session(engine) as session:
        set_actor(session, "bench")
        target = Daerah(code="kabupaten-bench", name="Kabupaten Bench", level="kabupaten", timezone="Asia/Jakarta")
        floor = Daerah(code="baseline-bench", name="Baseline Bench", level="kabupaten", timezone="Asia/Jakarta")
        admin = User(username="bench-admin", full_name="Bench")
        admin.grants.append(RoleGrant(role="admin"))
        unit = UnitKerja(daerah=floor, code="baseline", name="Baseline")
        session.add_all([target, floor, admin, unit])
        session.commit()
        if args.rows > siasn.MAX_ROWS:
            siasn.MAX_ROWS = args.rows  # measuring beyond the cap (the bench only)
        print(f"{args.rows:,} rows, {len(data) / 1e6:.1f} MB CSV ({len(READ) + len(EXTRA)} columns); "
              f"{engine.dialect.name}; RSS at start {rss_mb():.0f} MB")

        began = time.perf_counter()
        table = siasn.read_table("siasn.csv", data)
        read = time.perf_counter() - began
        result = siasn.import_pegawai(session, admin, target, table)
        session.commit()
        total = time.perf_counter() - began
        peak = rss_mb()
        assert result.created == args.rows, result

        rows = [{"daerah_id": floor.id, "nip": f"B{i:017d}", "name": f"Pegawai Uji {i}", "jabatan": "Analis",
                 "jenis_jabatan": "fungsional", "golongan": "III/c", "unit_id": unit.id} for i in range(args.rows)]
        began = time.perf_counter()
        session.execute(insert(Pegawai), rows)
        session.commit()
        baseline = time.perf_counter() - began
    engine.dispose()
    print(f"  import (read, check, insert, audit, commit) {total:>7.2f} s  {args.rows / total:>8,.0f} rows/s  "
          f"(reading the file {read:.2f} s)  peak RSS {peak:.0f} MB")
    print(f"  baseline (plain Core executemany)          {baseline:>7.2f} s  {args.rows / baseline:>8,.0f} rows/s")
    print(f"  ratio import / baseline: {total / baseline:.1f}x")


if __name__ == "__main__":
    main()
