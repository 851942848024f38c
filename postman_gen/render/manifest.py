"""A speed trick: ``generate`` skips loading, resolving and rendering when nothing it depends on changed.

What it means. generate's output is a function of its inputs alone: the collection (its file, or every file
of a v3 tree), the ``-e``/``-g`` files, the templates (built-in and ``--templates``), postman-gen's own code,
the options and the folders it runs from. After a run that left the output folder exactly as planned (a
write, or a check or diff that found nothing to change, no item left out), generate records here a
fingerprint of those inputs, the SHA-256 of every file it planned and the warnings it printed. A later
run whose inputs have the same fingerprint only re-hashes the output files: when every hash matches, the
output is what rendering would give (the indexes are among those files, so no orphan can exist), the
warnings are printed again, and nothing is loaded or rendered. Anything else, a file edited by hand or
deleted, a changed input, a symbolic link, an unreadable or foreign manifest, falls back to the full run:
the manifest can make a run faster, never make a stale file pass.

In a full run, only the requests that changed are rendered again: the manifest also maps each file's
``item_key`` (the rendering: code, templates, target, options, and the resolved request, every field) to
the SHA-256 of its code, and a request whose key is known takes its code from the output file that still
holds exactly those bytes.

Not cached, because the output could vary without any input file changing: ``--vars inline`` (values such
as ``{{$timestamp}}`` are drawn at each run), ``--no-insecure-file-read`` (its checks follow symbolic
links), a ``-e``/``-g`` given by name or on standard input, one ``.request.yaml`` given alone (its folders'
definitions are read too), and anything with a symbolic link among the inputs.

The manifest lives in the user's cache folder (``$XDG_CACHE_HOME/postman-gen/generate/``), one file per
output folder, never in the output (committed code must not carry this machine's paths), and is read only
when this user owns it and no one else may write it.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from postman_gen.atomic import PRIVATE, write_atomic
from postman_gen.errors import PostmanGenError
from postman_gen.render import builtin_templates

if TYPE_CHECKING:  # not imported: the fast path loads no model
    from postman_gen.resolution.request import ResolvedRequest

FORMAT = 2
LIBRARIES = ("jinja2", "markupsafe", "yaml")  # what rendering and reading depend on beyond our own code
PACKAGE = Path(__file__).resolve().parent.parent  # postman-gen's own code is an input too


@dataclass(frozen=True)
class Manifest:
    """What a run planned (path relative to the output folder -> SHA-256) and the warnings it printed."""

    key: str
    files: Mapping[str, str]
    warnings: tuple[str, ...] = ()
    rendered: Mapping[str, str] = field(default_factory=dict)  # item_key -> SHA-256 of the code

    def by_sha(self) -> dict[str, list[str]]:
        """The files holding each content."""
        found: dict[str, list[str]] = {}
        for rel, sha in self.files.items():
            found.setdefault(sha, []).append(rel)
        return found


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_regular(path: str) -> bytes | None:
    """The bytes of a regular file, never through a symbolic link; None when there is none."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)  # a FIFO: no wait
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return handle.read()


def _file_hash(path: str) -> str | None:
    data = _read_regular(path)
    return None if data is None else hashlib.sha256(data).hexdigest()


def _tree(sink: hashlib._Hash, root: str, *, skip: tuple[str, ...] = ()) -> bool:
    """Every file under ``root`` (relative name and content) into ``sink``; False at a symbolic link."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in skip)
        for name in [*dirs, *sorted(files)]:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                return False
            if name in files and not name.endswith(".pyc"):
                sink.update(f"{os.path.relpath(path, root)}\0{_file_hash(path)}\n".encode())
    return True


def code_key(template_dirs: Sequence[str]) -> str | None:
    """The digest of what turns a resolved request into code: postman-gen's own code and version, the
    Python and libraries it runs on, every template of the search path; None at a symbolic link."""
    import importlib.util
    import sys

    from postman_gen import __version__

    sink = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\n".encode())
    for name in LIBRARIES:  # their versions (in their __init__.py) matter as well
        spec = importlib.util.find_spec(name)
        sink.update(f"{name}\0{spec and spec.origin and _file_hash(spec.origin)}\n".encode())
    for folder in (*template_dirs, str(builtin_templates()), str(PACKAGE)):
        sink.update(f"{os.path.abspath(folder)}\n".encode())
        if not _tree(sink, folder, skip=("__pycache__",)):
            return None
    return sink.hexdigest()


def fingerprint(
    params: Mapping[str, object],
    sources: Sequence[str],
    scope_files: Iterable[str | None],
    code: str | None,
) -> str | None:
    """The digest of everything a generate run depends on, or None when the run must not be cached.

    ``params`` holds the command's options as given (targets, ``--vars``, ``-O``, ``--var``...),
    ``sources`` the collections found, ``scope_files`` the ``-e``/``-g`` files as given, ``code`` the
    ``code_key`` of the templates used.
    """
    if code is None or params.get("var_mode") == "inline" or params.get("insecure_file_read") is False:
        return None
    sink = hashlib.sha256()
    head = {
        "code": code,
        "cwd": os.getcwd(),
        "params": params,
        "sources": [os.path.abspath(s) for s in sources],
    }
    sink.update(json.dumps(head, sort_keys=True, default=list).encode())
    for given in [*sources, *(f for f in scope_files if f)]:
        if given == "-":  # standard input (never the file named "-" that may sit in the current folder)
            return None
        if os.path.isdir(given):
            if not _tree(sink, given):
                return None
        elif given.lower().endswith((".yaml", ".yml")) and "request.y" in given.lower():
            return None  # one request of a tree: its folders' definitions are read as well
        else:
            if os.path.islink(given):
                return None
            found = _file_hash(given)
            if found is None:  # standard input, a name looked up next to the collection, a missing file
                return None
            sink.update(f"{given}\0{found}\n".encode())
    return sink.hexdigest()


def item_key(
    code: str, target: str, options: Mapping[str, str], base_dir: str, request: ResolvedRequest
) -> str:
    """The digest of everything one file's code depends on: the rendering (``code_key``, target, its
    options, the collection's folder, for relative file paths) and the resolved request, every field of it
    (its ``repr``; placeholder tokens, spelled anew by each process, respelled the same way)."""
    from postman_gen.resolution.placeholders import respell_tokens

    text = respell_tokens(repr(request), "\0token{}\0")
    head = json.dumps([code, target, sorted(options.items()), os.path.abspath(base_dir)])
    return digest(f"{head}\n{text}")


def reuse(out: str, previous: Manifest | None, key: str) -> str | None:
    """The code a previous run rendered for ``key`` (``item_key``), read back from the output folder when a
    file there still holds exactly those bytes; None means rendering it."""
    if previous is None or key not in previous.rendered:
        return None
    sha = previous.rendered[key]
    for rel in previous.by_sha().get(sha, ()):
        data = _read_regular(os.path.join(out, rel)) if _no_link_on_the_way(out, rel) else None
        if data is not None and hashlib.sha256(data).hexdigest() == sha:
            return data.decode("utf-8")
    return None


def reusing(
    render: Callable[[ResolvedRequest, str], str],
    code: str,
    by_target: Mapping[str, Mapping[str, str]],
    base_dir: str,
    out_dir: str,
    previous: Manifest | None,
    rendered: dict[str, str],
) -> Callable[[ResolvedRequest, str], str]:
    """``render`` (of a resolved request for a target), except that a request the previous run rendered
    takes its code from the output folder (``item_key``, ``reuse``); every key is noted in ``rendered``."""

    def render_or_reuse(request: ResolvedRequest, target: str) -> str:
        key = item_key(code, target, by_target[target], base_dir, request)
        text = reuse(out_dir, previous, key)
        if text is None:
            text = render(request, target)
        rendered[key] = digest(text)
        return text

    return render_or_reuse


def _no_link_on_the_way(out: str, rel: str) -> bool:
    parts = rel.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return False
    return not any(os.path.islink(os.path.join(out, *parts[:i])) for i in range(len(parts) + 1))


def _cache_file(out: str) -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    name = hashlib.sha256(os.path.abspath(out).encode()).hexdigest()[:32]
    return Path(root) / "postman-gen" / "generate" / f"{name}.json"


def _private(path: Path) -> bool:
    """A real folder or file of this user that no one else may write (a manifest decides what passes)."""
    getuid = getattr(os, "geteuid", None)
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return (
        getuid is not None
        and not stat.S_ISLNK(st.st_mode)
        and st.st_uid == getuid()
        and not st.st_mode & 0o022
    )


def read(out: str) -> Manifest | None:
    """The manifest recorded for the output folder ``out``, when there is a trustworthy one."""
    path = _cache_file(out)
    if not all(_private(p) for p in (path.parent.parent, path.parent, path)):
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(
            str(data["key"]), dict(data["files"]), tuple(data["warnings"]), dict(data["rendered"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write(out: str, manifest: Manifest) -> None:
    """Record ``manifest`` for ``out``; a cache that cannot be written only means no speed-up next time."""
    path = _cache_file(out)
    doc = {
        "key": manifest.key,
        "files": dict(manifest.files),
        "warnings": list(manifest.warnings),
        "rendered": dict(manifest.rendered),
    }
    try:
        path.parent.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.mkdir(mode=0o700, exist_ok=True)
        if _private(path.parent.parent) and _private(path.parent):
            write_atomic(path, json.dumps(doc, sort_keys=True), mode=PRIVATE, what="generate manifest")
    except (OSError, PostmanGenError):
        pass


def current(out: str, manifest: Manifest) -> bool:
    """Whether every file the manifest lists is in ``out`` with the recorded bytes (no link on the way)."""
    folders: set[str] = set()
    for rel in manifest.files:
        parts = rel.split("/")
        if any(p in ("", ".", "..") for p in parts):
            return False
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
    if any(os.path.islink(os.path.join(out, f)) for f in sorted(folders)) or os.path.islink(out):
        return False
    return all(_file_hash(os.path.join(out, rel)) == sha for rel, sha in manifest.files.items())
