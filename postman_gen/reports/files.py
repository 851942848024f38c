"""Parts of a report written before its header is known; the report itself is a ``postman_gen.atomic``
file, so a reader never sees it half-written."""

from __future__ import annotations

import os
import tempfile
from typing import IO

from postman_gen.atomic import AtomicFile
from postman_gen.errors import UsageError


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
