"""Everything the render engine does with Jinja's internals, in one place: what to check on a Jinja upgrade.

Each piece below replaces a general mechanism of Jinja by a narrower one that gives the same result under
conditions the engine guarantees (synchronous rendering, templates never reloaded, globals fixed before
the first template is loaded, helpers that are plain functions). tests/test_jinja_speed.py renders the
same templates with a stock ``jinja2.Environment`` and with :func:`environment` and compares the output,
so a Jinja release that changes one of the internals used here fails there first.

Internals relied on: ``Environment.make_globals``, ``Environment.get_template``'s ``globals`` argument,
``runtime.Context.call`` and its ``_loop_vars``/``_block_vars`` keywords, ``Context.vars``/``.parent``,
the ``jinja_pass_arg`` attribute, ``filters.sync_do_*`` and ``FileSystemBytecodeCache``.
"""

from __future__ import annotations

import binascii
import functools
import os
import stat
import types
from collections.abc import Callable, Mapping
from typing import Any

import jinja2

__all__ = ["AttrDict", "attach_bytecode_cache", "context_value", "environment"]


# --------------------------------------------------------------------------- the environment


class _Context(jinja2.runtime.Context):
    """A template context that calls plain functions directly.

    ``Context.call`` looks at every callable (and its ``__call__``) for ``pass_context``,
    ``pass_eval_context`` or ``pass_environment`` before calling it. A function, method, built-in or
    ``functools.partial`` carries that request only as its own ``jinja_pass_arg`` attribute; without one,
    the call is a plain call, which is what this does. Anything else takes Jinja's own path.
    """

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if type(__obj) not in _PLAIN_CALLABLES or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        if kwargs:  # Jinja's bookkeeping keywords, meant for Context.call itself
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Context.call: a callable's StopIteration must not end the render
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


_PLAIN_CALLABLES = (types.FunctionType, types.MethodType, types.BuiltinFunctionType, functools.partial)


class _Environment(jinja2.Environment):
    """An environment whose templates share its globals as one plain dict, and keep the first load of a name.

    Jinja gives each template a ``ChainMap`` over the environment's globals, so that globals added later
    show through; the engine sets all globals before loading any template, so a merged dict means the
    same. Templates are never reloaded (``auto_reload`` is off), so the template first loaded for a name
    stays the answer for every later ``{% include %}`` and ``{% import %}`` of it.
    """

    def make_globals(self, d: Any) -> Any:
        return {**self.globals, **(d or {})}

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
        if globals is None and type(name) is str:
            loaded: dict[str, jinja2.Template] = self.__dict__.setdefault("_loaded", {})
            found = loaded.get(name)
            if found is None or found.environment is not self:
                found = loaded[name] = super().get_template(name, parent)
            return found
        return super().get_template(name, parent, globals)


# Jinja's built-in filters that also accept async iterables; in a synchronous environment their plain
# variants are the same functions without the async branch.
_SYNC_FILTERS = {
    name: getattr(jinja2.filters, f"sync_do_{name}")
    for name in ("unique", "join", "first", "slice", "groupby", "sum", "list", "map", "select", "reject")
    + ("selectattr", "rejectattr")
    if hasattr(jinja2.filters, f"sync_do_{name}")
}


def environment(loader: jinja2.BaseLoader, syntax: Mapping[str, Any]) -> jinja2.Environment:
    """A synchronous environment that never reloads templates, with strict undefined values.

    Set its filters, tests and globals before loading a template, then call :func:`attach_bytecode_cache`.
    """
    env = _Environment(loader=loader, undefined=jinja2.StrictUndefined, auto_reload=False, **syntax)
    env.filters.update(_SYNC_FILTERS)
    env.context_class = _Context
    return env


def context_value(context: jinja2.runtime.Context, name: str) -> Any:
    """``context[name]``: the template's top-level assignments first, then what the render call received."""
    found = context.vars
    return found[name] if name in found else context.parent[name]


# --------------------------------------------------------------------------- compiled templates on disk


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in the user's cache folder, so a one-item ``render`` skips Jinja's compiler.

    Entries are keyed by template name and checked against the source's checksum (an edited or overriding
    template is compiled again); the folder's name is a digest of everything else the compiled code
    depends on: postman-gen's and Jinja's versions, the syntax settings, each filter's and test's name and
    how Jinja passes it arguments. Any problem with the folder (read-only, corrupt entry, not private to
    this user) only means compiling.
    """

    def __init__(self, env: jinja2.Environment, syntax: Mapping[str, Any]) -> None:
        from postman_gen import __version__

        root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        parts = [__version__, jinja2.__version__, *(f"{k}={v}" for k, v in sorted(syntax.items()))]
        for kind, table in (("filter", env.filters), ("test", env.tests)):
            parts += (
                f"{kind}:{name}:{getattr(f, 'jinja_pass_arg', None)}" for name, f in sorted(table.items())
            )
        digest = format(binascii.crc32("\n".join(parts).encode()), "08x")
        super().__init__(os.path.join(root, "postman-gen", f"templates-{digest}"))

    def load_bytecode(self, bucket: Any) -> None:
        """Load an entry only from a folder and file that only this user can have written (as pip
        trusts its cache): owned by us, not writable by group or others, the file not a symlink. A
        cache entry is code that runs; anything else is ignored and the template is compiled."""
        if not _private(os.path.dirname(self.directory)) or not _private(self.directory):
            return
        try:
            fd = os.open(self._get_cache_filename(bucket), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return
        with os.fdopen(fd, "rb") as handle:
            if not _private_stat(os.fstat(fd)):
                return
            try:
                bucket.load_bytecode(handle)
            except (OSError, ValueError, EOFError, TypeError):
                bucket.reset()

    def dump_bytecode(self, bucket: Any) -> None:
        try:
            os.makedirs(os.path.dirname(self.directory), mode=0o700, exist_ok=True)
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            if _private(os.path.dirname(self.directory)) and _private(self.directory):
                super().dump_bytecode(bucket)  # a temporary file (mode 0600) renamed into place
        except OSError:
            pass


def _private_stat(st: os.stat_result) -> bool:
    getuid = getattr(os, "geteuid", None)
    return getuid is not None and st.st_uid == getuid() and not st.st_mode & 0o022


def _private(path: str) -> bool:
    """Whether ``path`` is a real folder or file of this user that no one else may write."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return not stat.S_ISLNK(st.st_mode) and _private_stat(st)


def attach_bytecode_cache(env: jinja2.Environment, syntax: Mapping[str, Any]) -> None:
    """Keep ``env``'s compiled templates on disk; call it once the filters and tests are all registered."""
    env.bytecode_cache = _BytecodeCache(env, syntax)


# --------------------------------------------------------------------------- values templates read


class AttrDict(dict[str, Any]):
    """A dict whose keys are also attributes, for values templates read as ``opts.timeout``.

    Jinja resolves ``a.b`` by ``getattr`` first and falls back to ``a["b"]`` only after an AttributeError;
    with the keys as attributes the first lookup answers. Keys named like a dict method stay items only,
    so ``opts.items()`` keeps meaning the method.
    """

    def __init__(self, values: Mapping[str, Any]) -> None:
        super().__init__(values)
        self.__dict__.update((k, v) for k, v in values.items() if not hasattr(dict, k))
