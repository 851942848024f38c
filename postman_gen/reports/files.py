"""Report files are written atomically: a temporary file in the target's folder, then ``os.replace``.

Why: a reader (CI, a browser, a person re-running) never sees a half-written report, even after Ctrl-C,
and a failed run never destroys the previous report until the new one is complete.
"""

from __future__ import annotations

import os
import tempfile
from typing import IO

from postman_gen.errors import UsageError


class AtomicFile:
    """A text file that appears at ``path`` only on ``commit()``; ``discard()`` removes the draft."""

    def __init__(self, path: str) -> None:
        self.path = os.path.abspath(path)
        folder = os.path.dirname(self.path)
        try:
            os.makedirs(folder, exist_ok=True)
            fd, self.draft = tempfile.mkstemp(prefix=".~" + os.path.basename(self.path), dir=folder)
        except OSError as exc:
            raise UsageError(f"cannot write report {path}: {exc.strerror}") from exc
        self.handle: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write(self, text: str) -> None:
        self.handle.write(text)

    def commit(self) -> None:
        self.handle.close()
        os.chmod(self.draft, 0o644)
        os.replace(self.draft, self.path)

    def discard(self) -> None:
        if not self.handle.closed:
            self.handle.close()
        try:
            os.unlink(self.draft)
        except FileNotFoundError:
            pass


class Spool:
    """An anonymous temporary text file for parts of a report written before its header is known."""

    def __init__(self, folder: str) -> None:
        try:
            os.makedirs(folder, exist_ok=True)
            self.handle: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8", dir=folder)
        except OSError as exc:
            raise UsageError(f"cannot write a report in {folder}: {exc.strerror}") from exc

    def write(self, text: str) -> None:
        self.handle.write(text)

    def copy_to(self, out: AtomicFile) -> None:
        self.handle.seek(0)
        while chunk := self.handle.read(1 << 16):
            out.write(chunk)
        self.handle.close()


def write_atomic(path: str, text: str) -> None:
    out = AtomicFile(path)
    try:
        out.write(text)
    except BaseException:
        out.discard()
        raise
    out.commit()
