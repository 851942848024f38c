"""``diff``: what changes on the wire, request by request, between two versions of a collection.

Requests are matched by their path (folders / name). For each one, the fields a reviewer cares about
(method, URL, headers, body, auth, settings, scripts) are compared on the unmasked values and shown
masked: a changed token reads ``****`` -> ``****`` (secret changed), never the secret. Three renderings:
plain text for a terminal, Markdown for a pull-request comment, JSON for tools.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from postman_gen.collection.model import Collection, Event
from postman_gen.collection.selection import Selected
from postman_gen.resolution.request import ResolvedRequest
from postman_gen.views.masking import header_value, mask_url
from postman_gen.views.snapshot import body_to_dict

FIELDS = ("method", "url", "headers", "body", "auth", "settings", "scripts")


@dataclass(frozen=True, slots=True)
class Wire:
    """One request's reviewable fields, each as text (masked) plus its unmasked text for comparing."""

    path: str
    shown: dict[str, str]
    exact: dict[str, str]


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: str
    new: str
    secret: bool = False  # the values differ only where they are masked


@dataclass(frozen=True, slots=True)
class RequestChange:
    path: str
    status: str  # "added", "removed" or "changed"
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True, slots=True)
class Review:
    requests: tuple[RequestChange, ...]
    code_diff: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.requests or self.code_diff)

    def counts(self) -> dict[str, int]:
        out = {"changed": 0, "added": 0, "removed": 0}
        for r in self.requests:
            out[r.status] += 1
        return out


def _scripts(collection: Collection, selected: Selected) -> str:
    chain: list[tuple[str, Sequence[Event]]] = [("collection", collection.events)]
    chain += [(f"folder {f.name}", f.events) for f in selected.folders]
    chain.append(("request", selected.item.events))
    blocks = []
    for level, events in chain:
        for e in events:
            if not e.disabled and e.source.strip():
                blocks.append(f"// {e.listen} ({level})\n{e.source.rstrip()}")
    return "\n".join(blocks)


def _fields(request: ResolvedRequest, show: bool, base: str) -> dict[str, str]:
    auth = ""
    if request.auth is not None:
        params = ", ".join(f"{k}={v if show or not v else '****'}" for k, v in request.auth.params)
        auth = f"{request.auth.type} ({request.auth.source}) {params}".rstrip()
    body = body_to_dict(request, show, base)  # file paths relative to each version's own folder
    settings = {k: getattr(request.settings, k) for k in request.settings.__slots__}
    return {
        "method": request.method,
        "url": mask_url(request.url, request.auth, show),
        "headers": "\n".join(f"{h.name}: {header_value(h, show)}" for h in request.headers),
        "body": _body_text(body),
        "auth": auth,
        "settings": ", ".join(f"{k}={v}" for k, v in settings.items() if v not in (None, False)),
    }


def _body_text(body: dict[str, object] | None) -> str:
    if body is None:
        return ""
    if body.get("kind") == "raw":
        return str(body.get("text"))
    return json.dumps(body, indent=2, ensure_ascii=False)


def wire(collection: Collection, selected: Selected, request: ResolvedRequest) -> Wire:
    scripts = _scripts(collection, selected)
    shown = {**_fields(request, False, collection.base_dir), "scripts": scripts}
    exact = {**_fields(request, True, collection.base_dir), "scripts": scripts}
    return Wire(" / ".join(request.path), shown, exact)


def compare(old: Sequence[Wire], new: Sequence[Wire], code_diff: str = "") -> Review:
    """Removed requests first (old order), then added and changed ones (new order)."""
    before = {w.path: w for w in old}
    after = {w.path: w for w in new}
    out = [RequestChange(w.path, "removed") for w in old if w.path not in after]
    for w in new:
        if w.path not in before:
            out.append(RequestChange(w.path, "added"))
            continue
        was = before[w.path]
        fields = tuple(
            FieldChange(f, was.shown[f], w.shown[f], was.shown[f] == w.shown[f])
            for f in FIELDS
            if was.exact[f] != w.exact[f]
        )
        if fields:
            out.append(RequestChange(w.path, "changed", fields))
    return Review(tuple(out), code_diff)


# ----------------------------------------------------------------------------- renderings

_MARK = {"added": "+", "removed": "-", "changed": "~"}
_MULTILINE = ("headers", "body", "scripts")


def _line_diff(old: str, new: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=1)
        if not line.startswith(("---", "+++"))
    ]


def _summary(review: Review) -> str:
    counts = review.counts()
    parts = [f"{n} {k}" for k, n in counts.items() if n]
    return ", ".join(parts) if parts else "no request changes on the wire"


def text(review: Review) -> str:
    lines = []
    for r in review.requests:
        lines.append(f"{_MARK[r.status]} {r.path}" + ("" if r.status == "changed" else f"  ({r.status})"))
        for f in r.fields:
            note = "  (secret value changed)" if f.secret else ""
            if f.field in _MULTILINE:
                lines.append(f"    {f.field}:{note}")
                lines += [f"      {line}" for line in _line_diff(f.old, f.new)]
            else:
                lines.append(f"    {f.field}: {f.old or '(none)'} -> {f.new or '(none)'}{note}")
    if review.requests:
        lines.append(f"{_summary(review)}")
    out = "\n".join(lines) + ("\n" if lines else "")
    if review.code_diff:
        out += ("\n" if out else "") + review.code_diff
    return out


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`" if text else "(none)"


def markdown(review: Review, title: str = "postman-gen diff") -> str:
    """A pull-request comment: a summary table, one folded section per changed request, the code diff."""
    if not review.changed:
        return f"### {title}\n\nNo change on the wire and no change in the generated code.\n"
    out = [f"### {title}: {_summary(review)}", ""]
    if review.requests:
        out += ["| | request | what changes on the wire |", "|---|---|---|"]
        for r in review.requests:
            what = ", ".join(f.field for f in r.fields) if r.fields else r.status
            name = r.path.replace("|", "\\|")
            out.append(f"| {_MARK[r.status]} | {name} | {what} |")
        out.append("")
    for r in review.requests:
        if not r.fields:
            continue
        out += [f"<details><summary><b>{r.path}</b>: {', '.join(f.field for f in r.fields)}</summary>", ""]
        for f in r.fields:
            note = " (secret value changed)" if f.secret else ""
            if f.field in _MULTILINE:
                out += [f"**{f.field}**{note}", "", "```diff", *_line_diff(f.old, f.new), "```", ""]
            else:
                out += [f"**{f.field}**: {_code(f.old)} → {_code(f.new)}{note}", ""]
        out += ["</details>", ""]
    if review.code_diff:
        out += [
            "<details><summary>Generated code</summary>",
            "",
            "```diff",
            review.code_diff.rstrip("\n"),
            "```",
            "",
            "</details>",
            "",
        ]
    return "\n".join(out)


def as_json(review: Review) -> str:
    doc = {
        "summary": review.counts(),
        "requests": [asdict(r) for r in review.requests],
        "code_diff": review.code_diff,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
