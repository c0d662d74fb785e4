"""Several processes on one data dir: one writer at a time, and everyone catching up with what others saved."""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from index.search.meta import IndexMeta, read_meta, write_meta


class Coordinated:
    """Mixed into Library: `writing()` serialises writers across threads and processes (an advisory lock file
    in the data dir; re-entrant for the holder), and `sync()` reloads indexes another process has saved."""

    data_dir: Path
    meta_path: Path
    _lock: threading.RLock
    _write_lock: threading.Lock
    _writer: int | None
    _meta: IndexMeta | None
    _meta_stamp: tuple[int, int, int] | None
    _lexical: dict[str, Any]

    def _load_indexes(self, meta: IndexMeta) -> bool: ...  # provided by Library

    def rebuild(self, dim: int) -> None: ...  # provided by Library

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One writer at a time across processes (an advisory lock file in the data dir) and threads; the
        thread that holds it may enter again."""
        if self._writer == threading.get_ident():
            yield
            return
        with self._write_lock, (self.data_dir / "write.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            self._writer = threading.get_ident()
            try:
                self.sync(force=True)
                yield
            finally:
                self._writer = None
                fcntl.flock(handle, fcntl.LOCK_UN)

    def sync(self, force: bool = False) -> None:
        """Catch up with writes another process saved since this one loaded its indexes. Readers look only when
        meta.json's timestamp moved (cheap; two writes within one clock tick show one query late); the writer,
        holding the lock, always reads it."""
        try:
            stat = self.meta_path.stat()
        except FileNotFoundError:
            return
        stamp = (stat.st_mtime_ns, stat.st_ino, stat.st_size)
        if stamp == self._meta_stamp and not force:
            return
        with self._lock:
            self._meta_stamp = stamp
            disk = read_meta(self.meta_path)
            if disk is None or (self._meta is not None and disk.revision == self._meta.revision):
                return
            if not self._load_indexes(disk):
                self.rebuild(disk.dim)
            self._lexical.clear()

    def _write_meta(self) -> None:
        assert self._meta is not None
        write_meta(self.meta_path, self._meta)
        stat = self.meta_path.stat()
        self._meta_stamp = (stat.st_mtime_ns, stat.st_ino, stat.st_size)
