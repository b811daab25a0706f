"""Hashing speed of lamin_lab.storage.hashing against md5sum, sha1sum and cat.

Writes a file of random-ish data (default 2 GiB) next to ``--dir``, then times,
each with a cold page cache for that file (``posix_fadvise(DONTNEED)`` after an
``fsync``) and again warm:

- ``cat FILE > /dev/null``  (raw sequential read of the whole file)
- ``md5sum FILE`` / ``sha1sum FILE``  (whole-file digests in C)
- ``hash_file(FILE)``  (LaminDB's hash: for > 50 MiB only first+last 50 MiB, "sha1-fl")
- ``md5_of_file(FILE)``  (our streaming loop over the whole file: compares to md5sum)
- ``hash_file`` of a 50 MiB file ("md5" of everything) vs ``md5sum`` of it

The file is deleted at the end. Not a test: numbers depend on the machine.

Run::

    .venv/bin/python benchmarks/bench_hashing.py --size-gib 2 --dir /tmp
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from lamin_lab.storage.hashing import CHUNK, hash_file, md5_of_file


def _write(path: Path, size: int) -> None:
    block = os.urandom(16 * 1024 * 1024)
    with open(path, "wb") as f:
        written = 0
        while written < size:
            n = min(len(block), size - written)
            f.write(block[:n])
            written += n
        f.flush()
        os.fsync(f.fileno())


def _drop_cache(path: Path) -> None:
    """Evict this file's pages from the page cache (only this file, no root needed)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _bench(path: Path, label: str, fn, size: int, rows: list) -> None:
    for cache in ("cold", "warm"):
        if cache == "cold":
            _drop_cache(path)
        seconds = _time(fn)
        rows.append((label, cache, seconds, size / seconds / 2**20))


def _shell(*cmd: str) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def run(size: int, folder: Path) -> list:
    rows: list = []
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        big, small = Path(tmp) / "big.bin", Path(tmp) / "small.bin"
        _write(big, size)
        _write(small, CHUNK)
        _bench(
            big,
            "cat > /dev/null",
            lambda: _shell("sh", "-c", f"cat '{big}' > /dev/null"),
            size,
            rows,
        )
        _bench(big, "md5sum", lambda: _shell("md5sum", str(big)), size, rows)
        _bench(big, "sha1sum", lambda: _shell("sha1sum", str(big)), size, rows)
        _bench(
            big,
            "hash_file (sha1-fl, reads 100 MiB)",
            lambda: hash_file(big, progress=False),
            size,
            rows,
        )
        _bench(
            big, "md5_of_file (whole file)", lambda: md5_of_file(big, progress=False), size, rows
        )
        _bench(small, "md5sum 50 MiB", lambda: _shell("md5sum", str(small)), CHUNK, rows)
        _bench(
            small, "hash_file 50 MiB (md5)", lambda: hash_file(small, progress=False), CHUNK, rows
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-gib", type=float, default=2.0)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    size = int(args.size_gib * 2**30)
    rows = run(size, args.dir)
    print(f"file size {size / 2**30:.2f} GiB in {args.dir}; MiB/s = file size / wall time")
    print(f"{'what':40s} {'cache':5s} {'seconds':>8s} {'MiB/s':>9s}")
    for label, cache, seconds, rate in rows:
        print(f"{label:40s} {cache:5s} {seconds:8.3f} {rate:9.0f}")


if __name__ == "__main__":
    main()
