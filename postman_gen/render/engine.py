"""The render engine: targets (template folders with a manifest) and one Jinja environment per search path.

A target is a folder ``templates/<name>/`` with ``target.json`` and ``request.jinja``; shared partials
live in ``templates/_common/``. User folders given with ``--templates DIR`` come first in the search
path, so they can add targets or override any single file of a built-in one. Every escaping rule is a
filter of ``filters.py``; this module only wires them to the request being rendered (its placeholder
table and ``--vars`` mode) and computes what templates should not: notes, environment variables read,
imports, relative file paths and line layout of Python.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from postman_gen.errors import InputError, UsageError
from postman_gen.render import builtin_templates, clients, filters, jinja_speed, pylayout
from postman_gen.resolution.placeholders import Placeholder, has_tokens, replace_tokens, restore
from postman_gen.resolution.request import Header, HeaderOrigin, MultipartPart, ResolvedRequest, VarMode
from postman_gen.views.masking import mask_url

ENTRY = "request.jinja"
MANIFEST = "target.json"
COMMON = "_common"


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True, slots=True)
class TargetOption:
    """One ``-o KEY=VALUE`` a target accepts; the value is coerced to the default's type."""

    name: str
    default: bool | int | float | str
    description: str = ""
    choices: tuple[str, ...] = ()

    def coerce(self, text: str) -> bool | int | float | str:
        kind = type(self.default)
        try:
            if kind is bool:
                lowered = text.strip().lower()
                if lowered not in ("true", "false", "1", "0", "yes", "no", "on", "off"):
                    raise ValueError(text)
                return lowered in ("true", "1", "yes", "on")
            if kind is int:
                return int(text)
            if kind is float:
                return float(text)
        except ValueError:
            raise UsageError(f"option {self.name} takes a {kind.__name__}, got {text!r}") from None
        if self.choices and text not in self.choices:
            raise UsageError(f"option {self.name} must be one of {', '.join(self.choices)}, got {text!r}")
        return text


@dataclass(frozen=True, slots=True)
class Target:
    """A target's manifest (``target.json``)."""

    name: str
    language: str
    extension: str
    description: str
    directory: str
    options: tuple[TargetOption, ...] = ()
    run: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    unsupported_auth: frozenset[str] = frozenset()
    native_auth: frozenset[str] = frozenset()
    limits: tuple[str, ...] = ()
    comment: str = "#"
    client_headers: tuple[str, ...] = ()  # headers the target's client adds on its own (fidelity tests)
    lowercase_header_names: bool = False  # the client sends every header name in lower case (verify, tests)
    # one file for all selected items: the template gets ``items`` (each item's context) in place of one
    # request's context, and ``render`` prints a single file for its -i items (generate: one per item)
    collection_level: bool = False

    def option_values(self, given: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Defaults overlaid with the user's ``-o`` values, typed; an unknown key is a usage error."""
        known = {o.name: o for o in self.options}
        values: dict[str, Any] = {o.name: o.default for o in self.options}
        for key, text in (given or {}).items():
            option = known.get(key)
            if option is None:
                accepted = ", ".join(sorted(known)) or "none"
                raise UsageError(f"target {self.name} has no option {key!r} (options: {accepted})")
            values[key] = option.coerce(text)
        return values

    def command(self, file: str) -> list[str]:
        """The command that runs a generated file (``run`` with ``{file}`` replaced)."""
        return [part.replace("{file}", file) for part in self.run]


def _manifest(path: Path) -> Target:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read target manifest: {exc}", file=str(path)) from None
    if not isinstance(data, dict):
        raise InputError("a target manifest is a JSON object", file=str(path))
    try:
        options = tuple(
            TargetOption(
                name=key,
                default=spec["default"],
                description=str(spec.get("description", "")),
                choices=tuple(spec.get("choices", ())),
            )
            for key, spec in sorted(dict(data.get("options", {})).items())
        )
        return Target(
            name=str(data.get("name") or path.parent.name),
            language=str(data["language"]),
            extension=str(data["extension"]).lstrip("."),
            description=str(data.get("description", "")),
            directory=str(path.parent),
            options=options,
            run=tuple(data.get("run", ())),
            requires=tuple(data.get("requires", ())),
            unsupported_auth=frozenset(data.get("unsupported_auth", ())),
            native_auth=frozenset(data.get("native_auth", ())),
            limits=tuple(data.get("limits", ())),
            comment=str(data.get("comment", "#")),
            client_headers=tuple(str(h).lower() for h in data.get("client_headers", ())),
            lowercase_header_names=bool(data.get("lowercase_header_names", False)),
            collection_level=bool(data.get("collection_level", False)),
        )
    except (KeyError, TypeError) as exc:
        raise InputError(f"target manifest is missing or has a bad field: {exc}", file=str(path)) from None


def _search_path(template_dirs: Sequence[str | os.PathLike[str]]) -> tuple[Path, ...]:
    """User folders first (they override), the built-in folder last."""
    paths = []
    for d in template_dirs:
        path = Path(d)
        if not path.is_dir():
            raise UsageError(f"--templates {os.fspath(d)}: not a directory")
        paths.append(path)
    return (*paths, builtin_templates())


@functools.lru_cache(maxsize=16)
def _targets(search: tuple[Path, ...]) -> dict[str, Target]:
    found: dict[str, Target] = {}
    for root in reversed(search):  # built-in first, so a user folder's manifest replaces it
        for manifest in sorted(root.glob(f"*/{MANIFEST}")):
            if manifest.parent.name.startswith("_"):
                continue
            target = _manifest(manifest)
            found[target.name] = target
    return dict(sorted(found.items()))


def load_targets(template_dirs: Sequence[str | os.PathLike[str]] = ()) -> dict[str, Target]:
    """Every target of the search path, by name, sorted."""
    return _targets(_search_path(template_dirs))


def options_by_target(
    targets: Sequence[Target], given: Sequence[str], flag: str = "-O"
) -> dict[str, dict[str, str]]:
    """``-O`` values for each of ``targets``: ``KEY=VALUE`` goes to every target that has option KEY,
    ``TARGET:KEY=VALUE`` to that target alone; a key no selected target has is a usage error."""
    out: dict[str, dict[str, str]] = {t.name: {} for t in targets}
    for text in given:
        key, sep, value = text.partition("=")
        if not sep or not key:
            raise UsageError(f"{flag} takes KEY=VALUE or TARGET:KEY=VALUE, got {text!r}")
        name, colon, key = key.rpartition(":") if ":" in key else ("", "", key)
        chosen = [t for t in targets if (t.name == name if colon else any(o.name == key for o in t.options))]
        if colon and not chosen:
            raise UsageError(f"{flag} {text}: {name} is not one of the targets ({', '.join(out)})")
        if not colon and not chosen:
            known = sorted({o.name for t in targets for o in t.options}) or ["none"]
            raise UsageError(
                f"{flag} {text}: no selected target has option {key!r} (options: {', '.join(known)})"
            )
        for target in chosen:
            out[target.name][key] = value
    return out


def get_target(name: str, template_dirs: Sequence[str | os.PathLike[str]] = ()) -> Target:
    targets = load_targets(template_dirs)
    if name not in targets:
        raise UsageError(f"unknown target {name!r} (available: {', '.join(targets) or 'none'})")
    return targets[name]


# --------------------------------------------------------------------------- the Jinja environment


def _contextual(inline: Callable[..., Any], symbolic: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that reads the placeholder table and mode of ``req`` in the template context.

    ``inline(value, *args)`` serves ``--vars inline``; ``symbolic(value, table, mode, *args)`` the others.
    """

    @jinja2.pass_context
    def apply(context: Any, value: str, *args: str) -> Any:
        req: ResolvedRequest = jinja_speed.context_value(context, "req")
        if req.var_mode is VarMode.INLINE:  # the common case, tested without reading the enum's value
            return inline(value, *args)
        return symbolic(value, req.placeholders, req.var_mode.value, *args)

    return apply


def _py_lines_inline(s: str) -> list[str]:
    """``py_lines`` in ``inline`` mode; text without a line break is one literal (most URLs and bodies)."""
    if not s:
        return []
    if s.isprintable():  # every line break splitlines knows is unprintable
        return [filters.py_str(s)]
    return filters.py_line_operands(s, (), "keep")


def _form_expr(language: str, encode: str, encoded: str, table: tuple[Placeholder, ...], mode: str) -> str:
    """A urlencoded body in ``language``, run-time values wrapped in ``encode`` (see lang_form_operands)."""
    return filters.lang_join(language, filters.lang_form_operands(language, encoded, table, mode, encode))


CONTEXT_FILTERS: dict[str, Callable[..., Any]] = {
    "py": _contextual(filters.py_str, filters.py_expr),
    "sh": _contextual(filters.sh_quote, filters.sh_expr),
    "js": _contextual(filters.js_str, filters.js_expr),
    "sh_text": _contextual(filters.sh_text, filters.sh_text_expr),
    "sh_part_param_text": _contextual(filters.sh_text, filters.sh_part_param_text),
    "sh_part_param_needed": _contextual(lambda s: False, filters.sh_part_param_needed),
    "py_ops": _contextual(lambda s: [filters.py_str(s)], filters.py_operands),
    "py_form": _contextual(lambda s: [filters.py_str(s)], filters.py_form_operands),
    "py_form_needs_quote": _contextual(lambda s: False, filters.py_form_needs_quote),
    "sh_form": _contextual(filters.sh_quote, filters.sh_form_word),
    "sh_form_needs_encode": _contextual(lambda s: False, filters.sh_form_needs_encode),
    "py_lines": _contextual(_py_lines_inline, filters.py_line_operands),
    # compiled and scripting languages (filters.RUNTIMES)
    "is_runtime": _contextual(lambda s: False, filters.has_runtime_values),
    "go": _contextual(filters.go_str, filters.go_expr),
    "rb": _contextual(filters.rb_str, filters.rb_expr),
    "php": _contextual(filters.php_str, filters.php_expr),
    "java": _contextual(filters.java_str, filters.java_expr),
    "cs": _contextual(filters.cs_str, filters.cs_expr),
    "c": _contextual(filters.c_str, filters.c_expr),
    # gofmt writes a + b without spaces in a call of several arguments
    "go_arg": _contextual(
        filters.go_str, lambda s, table, mode: "+".join(filters.lang_operands("go", s, table, mode))
    ),
    "go_text": _contextual(filters.go_text, filters.go_text_expr),
    "go_form": _contextual(filters.go_str, functools.partial(_form_expr, "go", "formEncode({})")),
    "php_form": _contextual(filters.php_str, functools.partial(_form_expr, "php", "rawurlencode({})")),
    "java_form": _contextual(filters.java_str, functools.partial(_form_expr, "java", "formEncode({})")),
    "c_form": _contextual(filters.c_str, functools.partial(_form_expr, "c", "form_encode({})")),
    "cs_form": _contextual(filters.cs_str, functools.partial(_form_expr, "csharp", "FormEncode({})")),
    "rb_form": _contextual(filters.rb_str, functools.partial(_form_expr, "ruby", "form_encode({})")),
    "py_multipart_name": _contextual(filters.py_multipart_name, filters.py_multipart_name_operands),
    "httpie_item": _contextual(filters.httpie_item, filters.httpie_item_expr),
    "curl_form_name": _contextual(filters.curl_form_name, filters.curl_form_name_expr),
    "curl_form_text": _contextual(filters.curl_form_text, filters.curl_form_text_expr),
    "curl_part_type": _contextual(filters.curl_part_type, filters.curl_part_type_expr),
}


_SYNTAX: dict[str, Any] = {
    "autoescape": False,
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}


@functools.lru_cache(maxsize=16)
def _environment(search: tuple[Path, ...]) -> jinja2.Environment:
    env = jinja_speed.environment(
        jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(path)) for path in search]), _SYNTAX
    )
    env.filters.update(filters.FILTERS)
    env.filters.update(CONTEXT_FILTERS)
    env.filters.update(ADDED_CONTEXT_FILTERS)
    env.globals.update(
        json_ops=json_ops,
        py_statement=pylayout.statement,
        py_element=pylayout.element,
        py_group=pylayout.group,
        py_lay=pylayout.lay,
        py_kw=pylayout.kw,
        requests_plain=requests_plain,
        urllib3_alters_target=urllib3_alters_target,
        urllib3_requotes_escapes=urllib3_requotes_escapes,
        py_width=pylayout.width,
        requests_keeps_url=requests_keeps_url,
        names_differ_in_case=names_differ_in_case,
        shellcheck_directive=filters.SHELLCHECK_DIRECTIVE,
        sh_form_encode_function=filters.SH_FORM_ENCODE,
        sh_part_param_function=filters.SH_PART_PARAM,
        httpx_refused_headers=h11_refused_headers,
        httpx_alters_part_names=httpx_alters_part_names,
        urllib_recased_names=urllib_recased_names,
        aiohttp_refuses_part_text=aiohttp_refuses_part_text,
        aiohttp_part_text=aiohttp_part_text,
        headers_with_controls=headers_with_controls,
        whatwg_alters_url=whatwg_alters_url,
        reorders_to_front=reorders_to_front,
        bad_percent_fixed=bad_percent_fixed,
        js_env_function=filters.JS_ENV_FUNCTION,
        # compiled-language targets (clients.py)
        url_parts=clients.url_parts,
        has_control=clients.has_control,
        go_keeps_path=clients.go_keeps_path,
        go_header_groups=clients.go_header_groups,
        go_notes=clients.go_notes,
        rfc3986_target=clients.rfc3986_target,
        ruby_methods=clients.RUBY_METHODS,
        ruby_notes=clients.ruby_notes,
        java_notes=clients.java_notes,
        java_uri=clients.java_uri,
        java_restricted=clients.JAVA_RESTRICTED,
        csharp_notes=clients.csharp_notes,
        guzzle_headers=clients.guzzle_headers,
        guzzle_notes=clients.guzzle_notes,
        csharp_sendable=clients.csharp_sendable,
        csharp_content_headers=clients.CSHARP_CONTENT_HEADERS,
    )
    jinja_speed.attach_bytecode_cache(
        env, _SYNTAX
    )  # last: its folder depends on the filters registered above
    return env


# --------------------------------------------------------------------------- facts templates should not compu


def request_strings(request: ResolvedRequest) -> Iterator[str]:
    """Every string of the request that generated code may write (for imports and env variables)."""
    yield request.url
    for h in request.headers:
        yield h.name
        yield h.value
    body = request.body
    if body.kind == "raw":
        yield body.text  # type: ignore[union-attr]
    elif body.kind == "urlencoded":
        yield body.encoded  # type: ignore[union-attr]
        for key, value in body.fields:  # type: ignore[union-attr]
            yield key
            yield value
    elif body.kind == "formdata":
        for part in body.parts:  # type: ignore[union-attr]
            texts = (part.name, part.value, part.file_path, part.filename, part.content_type)
            yield from (s for s in texts if s)
    elif body.kind == "file":
        yield body.path  # type: ignore[union-attr]
    if request.auth is not None:
        for _key, value in request.auth.params:
            yield value


def env_vars(request: ResolvedRequest) -> list[str]:
    """Sorted names of the environment variables the generated code reads (``--vars env`` only)."""
    if request.var_mode is not VarMode.ENV or not request.placeholders:
        return []
    names = set()
    for text in request_strings(request):
        if has_tokens(text):
            for part in filters.segments(text, request.placeholders, "env"):
                if isinstance(part, Placeholder) and part.name not in filters.DYNAMIC_EXPRESSIONS:
                    names.add(part.env_name)
    return sorted(names)


def imports_for(request: ResolvedRequest, language: str) -> list[str]:
    """Modules the run-time expressions need (``os``, ``uuid``...; ``node:crypto``)."""
    if request.var_mode is not VarMode.ENV or not request.placeholders:
        return []
    strings = [s for s in request_strings(request) if has_tokens(s)]
    if language == "python":
        return filters.py_imports_for(strings, request.placeholders, "env")
    if language == "javascript":
        return filters.js_imports_for(strings, request.placeholders, "env")
    if language in filters.RUNTIMES:  # imports and helper:NAME functions
        return filters.lang_needs(language, strings, request.placeholders, "env")
    return []


def notes_for(request: ResolvedRequest, target: Target) -> list[str]:
    """What the header comment must say: auth the target cannot send, scripts not run, warnings."""
    notes = []
    if request.auth is not None and request.auth.type in target.unsupported_auth:
        notes.append(
            f"{request.auth.type} auth cannot be expressed by {target.name}: "
            "this code sends the request without it"
        )
    if request.has_scripts:
        notes.append("the collection's pre-request and test scripts are not run by this code")
    for d in request.warnings:
        notes.append(f"{d.where}: {d.message}" if d.where else d.message)
    return notes


def runtime(request: ResolvedRequest, text: str) -> bool:
    """Whether generated code reads part of ``text`` when it runs (``--vars env``: a variable or a fresh
    dynamic value), so that a template cannot know its characters."""
    if request.var_mode is not VarMode.ENV or not request.placeholders or not has_tokens(text):
        return False
    return any(isinstance(p, Placeholder) for p in filters.segments(text, request.placeholders, "env"))


def display(request: ResolvedRequest, text: str) -> str:
    """``text`` as the collection wrote it: tokens back to ``{{name}}`` / ``:id``."""
    return restore(text, request.placeholders) if request.placeholders and has_tokens(text) else text


def display_url(request: ResolvedRequest) -> str:
    """The URL for the header comment: variables as written, secret query values masked."""
    return mask_url(display(request, request.url), request.auth)


def basic_credentials(request: ResolvedRequest) -> tuple[str, str] | None:
    """``(user, password)`` of a Basic header that carries variables, else None.

    In ``keep``/``env`` modes the resolver base64-encodes the placeholder tokens, which generated code
    cannot substitute inside base64; such a header must be rendered from its credentials instead.
    """
    if request.var_mode is VarMode.INLINE or not request.placeholders:
        return None
    for h in request.headers:
        if _is_basic_header(h):
            try:
                text = base64.b64decode(h.value[6:], validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return None
            if not has_tokens(text):
                return None
            user, _, password = text.partition(":")
            return user, password
    return None


def _is_basic_header(h: Header) -> bool:
    return (
        h.origin is HeaderOrigin.AUTH and h.name.lower() == "authorization" and h.value.startswith("Basic ")
    )


def rel_path_for(request: ResolvedRequest, base_dir: str | None) -> Callable[[str], str]:
    """A function making file paths relative to the collection's folder (all modes but ``inline``).

    Committed code (``--vars env``) must not carry the machine's paths; it is run from that folder.
    """

    def rel_path(path: str) -> str:
        if base_dir is None or request.var_mode is VarMode.INLINE:
            return path
        base = os.path.abspath(base_dir)
        if os.path.commonpath([base, os.path.abspath(path)]) != base:
            return path
        return Path(os.path.relpath(path, base)).as_posix()

    return rel_path


def part_type(part: MultipartPart) -> str | None:
    """The Content-Type ``run`` sends for a multipart part (``MultipartPart.sent_type``); generated code
    writes it out, whatever its client would guess."""
    return part.sent_type


def has_files(request: ResolvedRequest) -> bool:
    body = request.body
    if body.kind == "file":
        return True
    return body.kind == "formdata" and any(p.is_file for p in body.parts)  # type: ignore[union-attr]


# --------------------------------------------------------------------------- JSON bodies as build operations


@dataclass(frozen=True, slots=True)
class JsonOp:
    """One step of building a JSON document: set ``path`` (keys and indices) to a value of ``kind``.

    ``kind``: string, int, number (``value`` is the number's text), bool, null, object (empty), array
    (empty). ``path`` is Chilkat-style (``a.b[0].c``) in ``dotted``; ``keys`` holds the raw steps.
    """

    keys: tuple[str | int, ...]
    kind: str
    value: Any = None
    dotted: str = field(default="")


class _NotRebuildable(ValueError):
    """The JSON cannot be rebuilt step by step into the same document."""


@dataclass(frozen=True, slots=True)
class _Object:
    pairs: tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class _Number:
    text: str
    integer: bool


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise _NotRebuildable("duplicate key")
    return _Object(tuple(pairs))


_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_$@-]+$")


def _dotted(keys: tuple[str | int, ...]) -> str:
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) else ("." if out else "") + key
    return out


def _op(keys: tuple[str | int, ...], kind: str, value: Any = None) -> JsonOp:
    return JsonOp(keys, kind, value, _dotted(keys))


def _walk(value: Any, keys: tuple[str | int, ...], ops: list[JsonOp]) -> None:
    if isinstance(value, _Object):
        if not value.pairs and keys:
            ops.append(_op(keys, "object"))
        for key, child in value.pairs:
            if not _PLAIN_KEY.match(key):
                raise _NotRebuildable(f"key {key!r} cannot be written as a path")
            _walk(child, (*keys, key), ops)
    elif isinstance(value, list):
        if not value:
            ops.append(_op(keys, "array"))
        for index, child in enumerate(value):
            _walk(child, (*keys, index), ops)
    elif isinstance(value, bool):
        ops.append(_op(keys, "bool", value))
    elif value is None:
        ops.append(_op(keys, "null"))
    elif isinstance(value, _Number):
        ops.append(_op(keys, "int" if value.integer else "number", value.text))
    else:
        ops.append(_op(keys, "string", value))


def json_ops(text: str) -> list[JsonOp] | None:
    """A JSON object body as build operations, or None when rebuilding would not give the same JSON.

    None for text that is not a JSON object, or has duplicate keys or keys that are not plain words:
    callers then send the text as it is. Numbers keep their text (``1.50`` stays ``1.50``).
    """
    try:
        value = json.loads(
            text,
            object_pairs_hook=_object,
            parse_int=lambda t: _Number(t, True),
            parse_float=lambda t: _Number(t, False),
            parse_constant=lambda t: _Number(t, False),
        )
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, _Object):
        return None
    ops: list[JsonOp] = []
    try:
        _walk(value, (), ops)
    except _NotRebuildable:
        return None
    return ops


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Renderer:
    """Renders requests for one target, options and search path (what ``generate`` repeats per item)."""

    target: Target
    template: jinja2.Template
    options: Mapping[str, Any]
    base_dir: str | None = None

    def __call__(self, request: ResolvedRequest) -> str:
        if self.target.collection_level:
            return self.many([request])
        return self._render(self.context(request))

    def many(self, requests: Sequence[ResolvedRequest]) -> str:
        """One file for ``requests`` (a collection-level target's ``items``, in the order given)."""
        if not self.target.collection_level:
            raise UsageError(f"target {self.target.name} writes one file per request")
        contexts = [self.context(request) for request in requests]
        return self._render({"items": contexts, "opts": self.options, "target": self.target})

    def _render(self, context: Mapping[str, Any]) -> str:
        try:
            return self.template.render(context)
        except jinja2.TemplateError as exc:  # undefined names, {% raise %}...: a user's template at fault
            place = _user_template_line(exc)
            if place is None:
                raise
            raise InputError(
                f"template error: {exc.message}", file=place[0], where=f"line {place[1]}"
            ) from None

    def context(self, request: ResolvedRequest) -> dict[str, Any]:
        credentials = basic_credentials(request)
        headers = list(request.headers)
        basic = next((h for h in headers if _is_basic_header(h)), None) if credentials else None
        return {
            "req": request,
            "opts": self.options,
            "target": self.target,
            "notes": notes_for(request, self.target),
            "env_vars": env_vars(request),
            "imports": imports_for(request, self.target.language),
            "rel_path": rel_path_for(request, self.base_dir),
            "has_files": has_files(request),
            "part_type": part_type,
            "display": functools.partial(display, request),
            "runtime": functools.partial(runtime, request),
            "display_url": display_url(request),
            "basic_credentials": credentials,
            "basic_header": basic,
            "basic_text": None if credentials is None else f"{credentials[0]}:{credentials[1]}",
            "headers": headers,
            "duplicate_headers": len({h.name.lower() for h in headers}) != len(headers),
            "var_mode": request.var_mode.value,
        }


def _user_template_line(exc: BaseException) -> tuple[str, int] | None:
    """The file and line of the innermost template frame of ``exc`` (jinja writes its traceback so), when
    that template is not a built-in one (an error there is ours: an internal error)."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".jinja"):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    if found is None or Path(found[0]).resolve().is_relative_to(builtin_templates().resolve()):
        return None
    return found


def renderer(
    target: str,
    *,
    options: Mapping[str, str] | None = None,
    template_dirs: Sequence[str | os.PathLike[str]] = (),
    base_dir: str | None = None,
) -> Renderer:
    """A ``Renderer`` for ``target``; raises ``UsageError`` for an unknown target or option."""
    search = _search_path(template_dirs)
    spec = get_target(target, template_dirs)
    env = _environment(search)
    try:
        template = env.get_template(f"{spec.name}/{ENTRY}")
    except jinja2.TemplateNotFound:
        raise UsageError(f"target {spec.name} has no {ENTRY}") from None
    except jinja2.TemplateSyntaxError as exc:
        message, where = f"template syntax error: {exc.message}", f"line {exc.lineno}"
        raise InputError(message, file=exc.filename or "", where=where) from None
    return Renderer(spec, template, jinja_speed.AttrDict(spec.option_values(options)), base_dir)


def render(
    request: ResolvedRequest,
    target: str,
    *,
    options: Mapping[str, str] | None = None,
    template_dirs: Sequence[str | os.PathLike[str]] = (),
    base_dir: str | None = None,
) -> str:
    """The code of ``target`` that sends ``request``; ``base_dir`` is the collection's folder (file paths)."""
    return renderer(target, options=options, template_dirs=template_dirs, base_dir=base_dir)(request)


# --------------------------------------------------------------------------- target-specific facts


# A URL requests keeps: this origin, then only characters requests and urllib3 leave alone, and escapes
# other than those of unreserved characters (which requests decodes). Checked as "no bad character after
# the origin": a search, not a match repeated per character, so long URLs stay cheap.
_REQUESTS_ORIGIN = re.compile(r"https?://[a-z0-9.\-]+(?::[0-9]+)?/")
_REQUESTS_ALTERED = re.compile(
    r"[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]|%(?![0-9A-F]{2})|%(?:[46][1-9A-F]|[57][0-9A]|3[0-9]|2[DE]|5F|7E)"
)
_DOT_SEGMENT = re.compile(r"/\.\.?(/|\?|$)")


def _without_final_newline(text: str) -> str:
    """``text`` less one final line feed, which these checks have always allowed (``$`` matches before it)."""
    return text[:-1] if text.endswith("\n") else text


def requests_keeps_url(url: str) -> bool:
    """Whether ``requests`` sends ``url`` unchanged (it re-quotes, decodes unreserved escapes, drops dots).

    False means generated code must set the prepared request's URL itself. Conservative: only URLs
    made of characters requests and urllib3 never touch are said to be kept.
    """
    if has_tokens(url):  # a token stands for a run-time value: judge it as a plain word
        url = replace_tokens(url, "x")
        if not url.startswith(("http://", "https://")):  # the origin itself is a variable
            url = "http://" + url
    origin = _REQUESTS_ORIGIN.match(url)
    if origin is None or _REQUESTS_ALTERED.search(_without_final_newline(url), origin.end()) is not None:
        return False
    return not _DOT_SEGMENT.search(url.split("?", 1)[0][8:])


def requests_plain(request: ResolvedRequest, headers: Sequence[Header]) -> bool:
    """Whether ``requests.request(...)`` sends ``headers`` and the URL as they are.

    requests keeps one value per header name, rejects values with leading whitespace, re-encodes
    some URLs and sends a header it has a default for (``Accept``...) in the default's place; any of
    those needs the prepared-request form of the code.
    """
    names = {h.name.lower() for h in headers}
    if len(names) != len(headers):
        return False
    if any(h.value[:1].isspace() for h in headers):
        return False
    return requests_keeps_order(headers) and requests_keeps_url(request.url)


# The headers a requests.Session sends by default, in its order: a request's own value for one of them
# takes the default's place, ahead of the request's other headers.
_REQUESTS_DEFAULTS = ("user-agent", "accept-encoding", "accept", "connection")


def requests_keeps_order(headers: Sequence[Header]) -> bool:
    """Whether ``requests.request(..., headers=...)`` sends ``headers`` in their order."""
    names = [h.name.lower() for h in headers]
    defaults = sorted((n for n in names if n in _REQUESTS_DEFAULTS), key=_REQUESTS_DEFAULTS.index)
    return defaults + [n for n in names if n not in _REQUESTS_DEFAULTS] == names


def names_differ_in_case(headers: Sequence[Header]) -> bool:
    """Whether two header names differ only in case (``X-A`` and ``x-a``): urllib3 sends both with the first
    one's spelling."""
    names = {h.name for h in headers}
    return len(names) != len({name.lower() for name in names})


# A character urllib3 percent-encodes in a request target, or a "%" that starts no escape.
_URLLIB3_ALTERED = re.compile(r"[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]|%(?![0-9A-Fa-f]{2})")


def urllib3_alters_target(url: str) -> bool:
    """Whether urllib3 percent-encodes part of the request target (it does so for any character outside
    RFC 3986's sets and for a ``%`` not followed by two hex digits), so requests cannot send it exactly."""
    rest = url.split("://", 1)[-1]
    target = rest[rest.find("/") :] if "/" in rest else ""
    return _URLLIB3_ALTERED.search(_without_final_newline(target)) is not None


# --------------------------------------------------------------------------- targets added for issue 10
# (python-httpx, python-urllib, python-aiohttp, node-axios, node-native, wget, http-file)


def h11_refused_headers(headers: Sequence[Header]) -> list[Header]:
    """Headers h11 (under httpx) refuses to send: a vertical tab or form feed inside the value.

    h11 accepts other control characters; leading and trailing blanks are stripped by the templates
    (servers strip them too, so the value read is the same).
    """
    return [h for h in headers if "\x0b" in h.value or "\x0c" in h.value]


_HTTPX_PART_ESCAPED = re.compile(r"[\\\x00-\x09\x0b\x0c\x0e-\x1a\x1c-\x1f]")


def httpx_alters_part_names(parts: Sequence[Any]) -> bool:
    """Whether httpx may write a part's name or filename otherwise than ``run``: it escapes a backslash
    as ``\\\\`` and control characters (but CR, LF and ESC, as run does for CR and LF) as ``%XX``. A name
    read from the environment when the code runs (``--vars env``) may hold any of them."""
    return any(
        _HTTPX_PART_ESCAPED.search(text) or has_tokens(text)
        for part in parts
        for text in (part.name, part.filename or "")
    )


def urllib_recased_names(headers: Sequence[Header]) -> list[str]:
    """Header names urllib sends otherwise: it writes every name in Title-Case (``x-api-key`` as
    ``X-Api-Key``); each name once, in order."""
    return list(dict.fromkeys(h.name for h in headers if h.name != h.name.title()))


# The characters aiohttp's FormData refuses in a part's name, filename and Content-Type (its
# http_writer._safe_header raises ValueError): every control character but the tab, and DEL.
_AIOHTTP_PART_REFUSED = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def aiohttp_refuses_part_text(parts: Sequence[Any]) -> bool:
    """Whether a part's name, filename or Content-Type holds a character aiohttp refuses to write."""
    return any(
        _AIOHTTP_PART_REFUSED.search(text)
        for part in parts  # CR and LF of names go as %0D and %0A (filters.multipart_param)
        for text in (filters.multipart_param(part.name), filters.multipart_param(part.filename or ""))
        + (part.content_type or "",)
    )


def aiohttp_part_text(text: str) -> str:
    """A part's name, filename or Content-Type without the characters aiohttp refuses (declared)."""
    return _AIOHTTP_PART_REFUSED.sub("", text)


def headers_with_controls(headers: Sequence[Header]) -> list[Header]:
    """Headers Node's http module and aiohttp refuse: a control character (tab aside) or DEL in the value."""
    return [h for h in headers if clients.has_control(h.value)]


ADDED_CONTEXT_FILTERS: dict[str, Callable[..., Any]] = {
    # JavaScript whose environment reads throw when a variable is missing (filters.JS_ENV_FUNCTION)
    "jsr": _contextual(filters.js_str, filters.js_required_expr),
    # .http files: plain text where it reads back as itself, else one {{ JavaScript }} expression
    "http": _contextual(filters.http_value, filters.http_value),
    "http_line": _contextual(filters.http_line, filters.http_line),
    "http_part_line": _contextual(lambda s, param=False: filters.http_line(s), filters.http_part_line),
    "http_header_value": _contextual(filters.http_value, filters.http_header_value),
    "http_body": _contextual(filters.http_body, filters.http_body),
    "http_form": _contextual(filters.http_form, filters.http_form),
    "http_js": _contextual(filters.http_js, filters.http_js),
}


_WHATWG_DOT_SEGMENT = re.compile(r"/(?:\.|%2e){1,2}(?:/|$)", re.IGNORECASE)


def whatwg_alters_url(url: str) -> bool:
    """Whether a WHATWG URL parser (Node's ``new URL``, used by axios) sends another request target than
    ``url``'s: it percent-encodes ``" < > ` { }``, spaces and (in the query) ``'``, reads ``\\`` as ``/``
    and removes dot segments. Judged on the text after the authority; tokens count as plain words."""
    if has_tokens(url):
        url = replace_tokens(url, "x")
    rest = url.split("://", 1)[-1]
    tail = rest[rest.find("/") :] if "/" in rest else ""
    path, _, query = tail.partition("?")
    if not tail.isascii() or not tail.isprintable():
        return True
    if any(ch in path for ch in '"<>`{} \\') or any(ch in query for ch in "\"<>' "):
        return True
    return _WHATWG_DOT_SEGMENT.search(path) is not None


def reorders_to_front(headers: Sequence[Header], front: Sequence[str]) -> bool:
    """Whether a client that writes the headers named in ``front`` (lower case) first, in that order, and
    the others after them, sends ``headers`` in another order than the collection's (wget, axios)."""
    names = [h.name.lower() for h in headers]
    first = sorted((n for n in names if n in front), key=list(front).index)
    return names != first + [n for n in names if n not in front]


_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def bad_percent_fixed(url: str) -> str:
    """``url`` with each ``%`` that starts no escape written ``%25``: what a client that refuses such a URL
    (httpyac: "URI malformed") can send instead."""
    return _BAD_PERCENT.sub("%25", url)


_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def urllib3_requotes_escapes(url: str) -> bool:
    """Whether urllib3 re-encodes the escapes of the request target: one stray ``%`` makes it encode every
    ``%``, so ``/a%20b/100%`` goes as ``/a%2520b/100%25``, another resource."""
    rest = url.split("://", 1)[-1]
    target = rest[rest.find("/") :] if "/" in rest else ""
    return _STRAY_PERCENT.search(target) is not None and _ESCAPE.search(target) is not None
