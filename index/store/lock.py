"""One writer at a time on a data dir: an advisory lock file across processes, a lock across threads."""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class WriterLock:
    """`with lock():` holds the data dir for writing; the thread that holds it may enter again. `on_acquire`
    runs each time it is taken (the indexes catch up with what another process saved meanwhile)."""

    def __init__(self, path: Path, on_acquire: Callable[[], None] = lambda: None) -> None:
        self.path = path
        self.on_acquire = on_acquire
        self._threads = threading.Lock()
        self._holder: int | None = None

    @property
    def held(self) -> bool:
        """Whether the calling thread holds it."""
        return self._holder == threading.get_ident()

    @contextmanager
    def __call__(self) -> Iterator[None]:
        if self.held:
            yield
            return
        with self._threads, self.path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            self._holder = threading.get_ident()
            try:
                self.on_acquire()
                yield
            finally:
                self._holder = None
                fcntl.flock(handle, fcntl.LOCK_UN)
