"""Files written for the user: output folders (``--out``), atomic writes and an exclusive lock on an output.

Every file zprime writes goes through :func:`atomic_write`: it is written to a hidden temporary name in the
same folder (``.<name>.<random>.tmp<pid>``) and renamed onto its final name (``os.replace``, atomic on POSIX
and Windows) only when complete. A process killed at any moment therefore leaves either the complete old
file, the complete new one, or no file under the final name, plus at most a temporary that
:func:`remove_stale_temporaries` deletes on the next run (once its process is gone).
"""

from __future__ import annotations

import json
import os
import re
import socket
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from zprime.core.errors import InputError

#: Temporary files of :func:`atomic_write`: ``.<final name>.<random>.tmp<pid>``
_TMP_RE = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp(\d+)$")


def prepare_output_dir(path: str | Path, parameter: str = "out") -> Path:
    """Create folder ``path`` (with its parents) for writing and return it.

    Raises InputError naming ``parameter`` when the path exists and is not a folder, cannot be created or
    is not writable (bad input, not an internal error). Temporaries left in it by killed runs are deleted.
    """
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise InputError(parameter, f"{p} exists and is not a folder; give a folder to write into")
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(parameter, f"cannot create the folder {p}: {exc.strerror or exc}") from None
    if not os.access(p, os.W_OK | os.X_OK):
        raise InputError(parameter, f"the folder {p} is not writable")
    remove_stale_temporaries(p)
    return p


def temporary_name(path: str | Path) -> Path:
    """A fresh temporary name for ``path`` in its folder: ``.<name>.<random>.tmp<pid>`` (hidden, and never
    ending in the final name's extension, so no glob for outputs matches it)."""
    p = Path(path)
    return p.with_name(f".{p.name}.{uuid.uuid4().hex[:8]}.tmp{os.getpid()}")


def atomic_write(path: str | Path, write: Callable[[Path], Any], parameter: str | None = None) -> Path:
    """Write ``path`` through a temporary file in the same folder, renamed into place when complete.

    ``write(tmp)`` writes the whole file to the path it is given (give writers that guess the format from
    the extension the format explicitly). The temporary is flushed to disk before the rename and deleted
    on any failure. OSError (disk full, permission, ...) becomes InputError naming ``parameter`` (default:
    the path). Returns ``path``.
    """
    path = Path(path)
    name = parameter or str(path)
    if not path.parent.is_dir():
        raise InputError(name, "folder does not exist")
    tmp = temporary_name(path)
    try:
        write(tmp)
        _fsync(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        where = f" {path}" if parameter else ""
        raise InputError(name, f"cannot write{where}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


def atomic_write_text(path: str | Path, text: str, parameter: str | None = None) -> Path:
    """:func:`atomic_write` of a UTF-8 text."""
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"), parameter)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this machine (one we may not signal counts as alive)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def remove_stale_temporaries(folder: str | Path) -> list[Path]:
    """Delete the temporaries of :func:`atomic_write` in ``folder`` whose process is gone; returns them."""
    gone: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return gone
    for entry in entries:
        m = _TMP_RE.match(entry.name)
        if m and not pid_alive(int(m.group(1))):
            try:
                os.unlink(entry.path)
                gone.append(Path(entry.path))
            except OSError:
                pass
    return gone


def _process_start(pid: int) -> str | None:
    """Start time of process ``pid`` (clock ticks since boot, from /proc on Linux), or None elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None  # field 22 of proc(5), counted after "pid (comm)"


class OutputLock:
    """An exclusive lock on one output, held by one process: the file ``path`` holding its pid and host.

    :meth:`acquire` creates the file (``O_EXCL``); a lock held by a live process is refused with an
    InputError naming ``parameter``. A lock left by a killed process (its pid gone, or reused by a process
    that started later) is stale and taken over. A lock from another host cannot be checked: the message
    names the file to delete when no process there still writes.
    """

    #: a lock file without readable content younger than this is being written (seconds)
    GRACE_S = 10.0

    def __init__(self, path: str | Path, what: str, parameter: str = "out"):
        self.path = Path(path)
        self.what = what
        self.parameter = parameter
        self.held = False

    def _holder(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _stale(self, holder: dict[str, Any] | None) -> bool:
        if holder is None or not isinstance(holder.get("pid"), int):
            try:
                age = datetime.now().timestamp() - self.path.stat().st_mtime
            except OSError:
                return True
            return age > self.GRACE_S
        if holder.get("host") != socket.gethostname():
            return False
        pid = holder["pid"]
        if not pid_alive(pid):
            return True
        start = holder.get("start")
        return start is not None and _process_start(pid) not in (None, start)

    def acquire(self) -> OutputLock:
        me = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "start": _process_start(os.getpid()),
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if not self._stale(holder):
                    raise InputError(self.parameter, self._refusal(holder)) from None
                self.path.unlink(missing_ok=True)  # left by a killed process
                continue
            except OSError as exc:
                raise InputError(
                    self.parameter, f"cannot create {self.path}: {exc.strerror or exc}"
                ) from None
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(me))
            self.held = True
            return self
        raise InputError(self.parameter, self._refusal(self._holder()))

    def _refusal(self, holder: dict[str, Any] | None) -> str:
        if holder is None:
            who = "another process"
        else:
            who = f"process {holder.get('pid')} on {holder.get('host')} (since {holder.get('time')})"
        return (
            f"{self.what} is being written by {who}: wait for it to finish or write to another --out "
            f"(if no such process still runs, delete the lock file {self.path})"
        )

    def release(self) -> None:
        if self.held:
            self.held = False
            holder = self._holder()
            if holder is None or holder.get("pid") == os.getpid():
                self.path.unlink(missing_ok=True)

    def __enter__(self) -> OutputLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


__all__ = [
    "OutputLock",
    "atomic_write",
    "atomic_write_text",
    "pid_alive",
    "prepare_output_dir",
    "remove_stale_temporaries",
    "temporary_name",
]
