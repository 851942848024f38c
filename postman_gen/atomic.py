"""The one way postman-gen writes a file: a temporary file in the target's folder, then ``os.replace``.

Why: a reader (CI, a browser, a person re-running) never sees a half-written file, even after Ctrl-C, and a
failed run never destroys the previous file until the new one is complete.

Modes: what a run writes (reports, exported environments and globals, cookie jars) may hold tokens and
response bodies, so it is ``PRIVATE`` (0600, or stricter when the umask asks for it); generated code is
meant to be committed and keeps ``PUBLIC`` (0644) or ``EXECUTABLE`` (0755).
"""

from __future__ import annotations

import functools
import os
import tempfile
import threading
from typing import IO

from postman_gen.errors import UsageError

PRIVATE = 0o600
PUBLIC = 0o644
EXECUTABLE = 0o755
_UMASK_LOCK = threading.Lock()


@functools.cache
def _umask() -> int:
    """The process umask, read without changing it where the system allows (``/proc``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:  # elsewhere: set and restore at once (the only way the os module offers)
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def private_mode() -> int:
    """0600 less whatever the umask removes (a umask of 077 or 066 gives 0600, 0277 gives 0400)."""
    return PRIVATE & ~_umask()


class AtomicFile:
    """A UTF-8 text file (``\\n`` line ends) that appears at ``path`` only on ``commit()``;
    ``discard()`` removes the draft. ``what`` names the file in the one-line error when it cannot be made.
    """

    def __init__(self, path: str | os.PathLike[str], *, mode: int = PRIVATE, what: str = "file") -> None:
        self.path = os.path.abspath(path)
        self.what = what
        self.mode = private_mode() if mode == PRIVATE else mode
        folder = os.path.dirname(self.path)
        name = os.path.basename(self.path)
        try:
            os.makedirs(folder, exist_ok=True)
            fd, self.draft = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise UsageError(f"cannot write {what} {os.fspath(path)}: {exc.strerror}") from exc
        self.handle: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write(self, text: str) -> None:
        self.handle.write(text)

    def commit(self) -> None:
        try:
            self.handle.close()
            os.chmod(self.draft, self.mode)
            os.replace(self.draft, self.path)
        except OSError as exc:
            self.discard()
            raise UsageError(f"cannot write {self.what} {self.path}: {exc.strerror}") from exc

    def discard(self) -> None:
        if not self.handle.closed:
            self.handle.close()
        try:
            os.unlink(self.draft)
        except FileNotFoundError:
            pass


def write_atomic(path: str | os.PathLike[str], text: str, *, mode: int = PRIVATE, what: str = "file") -> None:
    """Write ``text`` to ``path`` atomically with ``mode`` (default ``PRIVATE``)."""
    out = AtomicFile(path, mode=mode, what=what)
    try:
        out.write(text)
    except BaseException:
        out.discard()
        raise
    out.commit()  # discards the draft itself when it fails


def write_tree(
    folder: str | os.PathLike[str], files: dict[str, str], *, replace: bool = False, what: str = "folder"
) -> None:
    """Make ``folder`` hold exactly ``files`` (relative POSIX paths -> text), all at once.

    The files are written into a hidden sibling folder that is then renamed into place, so the folder
    never holds half a tree. An existing non-empty ``folder`` is an error unless ``replace``; then the old
    one is moved aside first and removed only after the new one is in place.
    """
    import shutil

    target = os.path.abspath(folder)
    parent, name = os.path.dirname(target), os.path.basename(target)
    existing = os.path.isdir(target) and bool(os.listdir(target))
    if os.path.exists(target) and not os.path.isdir(target):
        raise UsageError(f"cannot write {what} {os.fspath(folder)}: a file of that name exists")
    if existing and not replace:
        raise UsageError(f"{os.fspath(folder)} exists and is not empty (--force replaces it)")
    try:
        os.makedirs(parent, exist_ok=True)
        draft = tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise UsageError(f"cannot write {what} {os.fspath(folder)}: {exc.strerror}") from exc
    old = None
    try:
        os.chmod(draft, 0o755 & ~_umask())
        for rel, text in files.items():
            path = os.path.join(draft, *rel.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.chmod(path, PUBLIC & ~_umask())
        if os.path.isdir(target):
            old = tempfile.mkdtemp(prefix=f".{name}.", suffix=".old", dir=parent)
            os.rmdir(old)
            os.rename(target, old)
        os.rename(draft, target)
    except OSError as exc:
        shutil.rmtree(draft, ignore_errors=True)
        if old is not None and not os.path.exists(target):
            os.rename(old, target)
            old = None
        raise UsageError(f"cannot write {what} {os.fspath(folder)}: {exc.strerror}") from exc
    except BaseException:
        shutil.rmtree(draft, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
