"""What the rest of the library needs from the operating system: durable file writes, usable cores."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def usable_cores() -> int:
    """The cores this process may run on (its affinity where the OS tells it, else all of them)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync it, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def unwritable(folder: Path) -> str | None:
    """Why this process cannot keep a store in `folder` (None: it can): a folder it cannot create or write, as a
    volume mounted owned by root into a container that runs as another user."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"cannot create {folder}: {error.strerror}"
    if os.access(folder, os.W_OK | os.X_OK):
        return None
    info = folder.stat()
    return (
        f"cannot write to {folder} (owner uid {info.st_uid}, group {info.st_gid}, mode {info.st_mode & 0o777:o}) as "
        f"uid {os.getuid()}: give it to this user (chown {os.getuid()}), or to group {os.getgid()} with g+w"
    )
