"""One writer at a time on a data dir: an advisory lock file across processes, a lock across threads."""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


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


class Leases:
    """Named locks one process of several holds at a time, or none: a lock file per name beside the store,
    taken without waiting (the rounds of feeds and alerts, which one bot replica runs while the others skip)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._held: dict[str, IO[str]] = {}
        self._lock = threading.Lock()

    def take(self, name: str) -> bool:
        """Whether this process holds `name` now (taken now, or already)."""
        with self._lock:
            if name in self._held:
                return True
            handle = (self.folder / f"{name}.lease").open("a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                return False
            self._held[name] = handle
            return True

    def close(self) -> None:
        for name in list(self._held):
            self.give_back(name)

    def give_back(self, name: str) -> None:
        with self._lock:
            handle = self._held.pop(name, None)
            if handle is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
