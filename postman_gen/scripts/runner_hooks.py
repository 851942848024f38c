"""Running a collection's scripts during ``postman-gen run``: the ``Hooks`` the replay runner calls.

Why a bridge module: the engine (``ScriptEngine``) knows JavaScript and nothing of collections; the
runner knows items and requests and nothing of JavaScript. This module puts them together the way
postman-runtime does:

- One set of scopes for the whole run (globals, collection, environment, iteration data, local), fed
  back into ``RunState.values`` (and the collection's variables) after every script, so the next
  resolution sees what scripts set. Local (``pm.variables``) values last for the run, as in Newman;
  ``--var`` values start in that scope, the strongest.
- Pre-request scripts (collection, folders outer to inner, item) run before the request is resolved and
  see it as written (``{{variables}}`` unresolved). What they change in ``pm.request`` (method, URL,
  headers, body) is applied to a copy of the item, which is then resolved as usual: the same
  substitution, URL encoding and header checks as an unchanged request.
- Test scripts, in the same order, after the response, and also after a request that failed (then
  ``pm.response`` is an empty response with code 0), as Newman does. A skipped request runs none.
- ``pm.sendRequest`` is resolved and sent through the run's ``Transport``: same session, cookies, TLS and
  proxy settings as the run's own requests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from postman_gen.collection.model import (
    Auth,
    Body,
    Collection,
    Event,
    Folder,
    Item,
    KeyValue,
    Request,
    Url,
    Variable,
    script_values,
)
from postman_gen.collection.selection import Selected
from postman_gen.errors import PostmanGenError
from postman_gen.replay.config import DEFAULT_SCRIPT_TIMEOUT_MS
from postman_gen.replay.outcome import ConsoleLine, Failure, ScriptFailure, TestRecord
from postman_gen.replay.runner import RunState, Step
from postman_gen.replay.transport import Response, Transport
from postman_gen.resolution.request import FormBody, RawBody, ResolvedRequest
from postman_gen.resolution.resolver import ResolveOptions, Values, resolve
from postman_gen.resolution.urls import UrlParts, unparse_url
from postman_gen.resolution.value_text import value_text
from postman_gen.scripts.engine import ScriptEngine
from postman_gen.scripts.model import UNSET, Scopes, ScriptOutcome, ScriptRequest, ScriptResponse

# pm.sendRequest waits at most this long for a response when the run gives no --timeout-request (Newman
# would wait forever; a silent server must not hang a CI job).
DEFAULT_SEND_REQUEST_TIMEOUT_MS = 30_000
_EMPTY_RESPONSE = ScriptResponse(0, "", [], b"", 0.0, 0)


# --------------------------------------------------------------------------- which scripts run


def runnable(event: Event, listen: str) -> bool:
    """Enabled, of this kind, with source (an event that only refers to a script by id has none)."""
    return event.listen == listen and not event.disabled and bool(event.source.strip())


def scripts_for(
    collection: Collection, folders: Sequence[Folder], item: Item, listen: str
) -> list[tuple[str, Event]]:
    """``(level, event)`` in Postman's order: collection, folders outer to inner, then the item."""
    chain: list[tuple[str, Sequence[Event]]] = [("collection", collection.events)]
    chain += [(f"folder {f.name!r}", f.events) for f in folders]
    chain.append(("item", item.events))
    return [(level, e) for level, events in chain for e in events if runnable(e, listen)]


def has_scripts(collection: Collection, selected: Iterable[Selected]) -> bool:
    """Whether running ``selected`` would run any script (so the engine is needed)."""
    return any(
        scripts_for(collection, s.folders, s.item, "prerequest")
        or scripts_for(collection, s.folders, s.item, "test")
        for s in selected
    )


# --------------------------------------------------------------------------- values <-> text


def _variables(scope: Mapping[str, Any]) -> tuple[Variable, ...]:
    return tuple(Variable(key, value_text(value)) for key, value in scope.items())


def _texts(scope: Mapping[str, Any]) -> dict[str, str]:
    return {key: value_text(value) for key, value in scope.items()}


def _data_texts(scope: Mapping[str, Any]) -> dict[str, str | None]:
    """The iteration data row back from the scripts: a null stays null (Newman does not substitute it)."""
    return {key: None if value is None else value_text(value) for key, value in scope.items()}


# --------------------------------------------------------------------------- pm.request <-> item


def _form_text(pairs: Iterable[tuple[str, str]]) -> str:
    """Fields encoded as the sandbox encodes them (encodeURIComponent, space as ``+``)."""
    return "&".join(
        quote(k, safe="-_.!~*'()").replace("%20", "+") + "=" + quote(v, safe="-_.!~*'()").replace("%20", "+")
        for k, v in pairs
    )


def template_request(item: Item) -> ScriptRequest:
    """The item's request as a pre-request script sees it: as written, variables unresolved."""
    request = item.request
    url = request.url
    if url.has_parts:
        query = tuple((q.key, q.value) for q in url.query if not q.disabled)
        parts = UrlParts(url.protocol, None, url.host or (), url.port, url.path or (), query, url.hash)
        text = unparse_url(parts)
    else:
        text = url.raw or ""
    headers = [(h.key, h.value or "") for h in request.headers if not h.disabled]
    body, mode = _template_body(request.body)
    return ScriptRequest(request.method, text, headers, body, mode)


def _template_body(body: Body | None) -> tuple[str | None, str]:
    """Raw and urlencoded bodies are visible to scripts; other modes (formdata, file, graphql) are not."""
    if body is None or body.disabled or not body.mode:
        return None, "raw"
    if body.mode == "raw":
        return body.raw or "", "raw"
    if body.mode == "urlencoded":
        return _form_text((f.key, f.value or "") for f in body.urlencoded if not f.disabled), "urlencoded"
    return None, "raw"


def edited_item(item: Item, before: ScriptRequest, after: ScriptRequest) -> Item:
    """``item`` with what pre-request scripts changed in ``pm.request``; unchanged parts stay as written."""
    request = item.request
    changes: dict[str, Any] = {}
    if after.method != before.method:
        changes["method"] = after.method.upper()
    if after.url != before.url:
        changes["url"] = Url(raw=after.url, is_object=False, variables=request.url.variables)
    if after.headers != before.headers:
        changes["headers"] = tuple(KeyValue(k, v) for k, v in after.headers)
    if (after.body, after.body_mode) != (before.body, before.body_mode):
        changes["body"] = _edited_body(request.body, after)
    return replace(item, request=replace(request, **changes)) if changes else item


def _edited_body(old: Body | None, after: ScriptRequest) -> Body | None:
    if after.body is None:
        return None
    if after.body_mode == "urlencoded":
        fields = parse_qsl(after.body, keep_blank_values=True)
        return Body(mode="urlencoded", urlencoded=tuple(KeyValue(k, v) for k, v in fields))
    language = old.language if old is not None and old.mode == "raw" else None
    return Body(mode="raw", raw=after.body, language=language)


def sent_request(request: ResolvedRequest) -> ScriptRequest:
    """The request as sent, for test scripts (``pm.request`` after the response)."""
    body: str | None = None
    mode = "raw"
    if isinstance(request.body, RawBody):
        body = request.body.text
    elif isinstance(request.body, FormBody):
        body, mode = request.body.encoded, "urlencoded"
    return ScriptRequest(
        request.method, request.url, [(h.name, h.value) for h in request.headers], body, mode
    )


def script_response(response: Response | None) -> ScriptResponse:
    if response is None:
        return _EMPTY_RESPONSE
    return ScriptResponse(
        code=response.status,
        status=response.reason,
        headers=list(response.headers),
        body=response.body,
        response_time_ms=response.elapsed_ms,
        size=response.wire_size,
    )


# --------------------------------------------------------------------------- the hooks


class ScriptHooks:
    """The runner's hooks that run pre-request and test scripts; ``scopes`` holds the run's variables.

    ``bail``: a pre-request script error stops the item before it is sent (then the runner bails).
    """

    def __init__(
        self,
        collection: Collection,
        values: Values,
        *,
        transport: Transport | None = None,
        timeout_ms: int = DEFAULT_SCRIPT_TIMEOUT_MS,
        iteration_count: int = 1,
        bail: bool = False,
        engine: ScriptEngine | None = None,
        send_timeout_ms: int = DEFAULT_SEND_REQUEST_TIMEOUT_MS,
    ) -> None:
        self.collection = collection
        self.transport = transport
        self.send_timeout_ms = send_timeout_ms
        self._deadline: float | None = None
        self.iteration_count = iteration_count
        self.bail = bail
        self.engine = engine or ScriptEngine(timeout_ms=timeout_ms, send_request=self._send_request)
        self.scopes = Scopes(
            globals=script_values(values.globals),
            collection=script_values(collection.variables),
            environment=script_values(values.environment),
            iteration_data=dict(values.typed_data or values.data),
            local=dict(values.cli),
        )
        self._collection_variables = dict(self.scopes.collection)
        self._iteration = -1
        self._dirty = True
        self._prerequest: ScriptRequest | None = None

    # ----------------------------------------------------------------- Hooks

    def before_request(self, step: Step, state: RunState) -> None:
        self._deadline = state.deadline
        self.engine.reset()  # each request's scripts start clean: no damage reaches the next request
        if step.iteration != self._iteration:
            self._iteration = step.iteration
            _replace(self.scopes.iteration_data, state.values.typed_data or state.values.data)
            self._dirty = True
        selected = step.selected
        scripts = scripts_for(self.collection, selected.folders, selected.item, "prerequest")
        before = template_request(selected.item)
        request = before
        for level, event in scripts:
            outcome = self._run(event, "prerequest", level, step, state, request, None, [])
            request = outcome.request
            if outcome.skip_request:
                state.skip = True
                break
            if outcome.error is not None and self.bail:
                state.skip = True  # --bail: a broken pre-request script stops the item before sending
                break
        self._prerequest = request
        if request != before:
            state.item = edited_item(selected.item, before, request)
        self._sync(state)

    def after_response(
        self,
        step: Step,
        request: ResolvedRequest | None,
        response: Response | None,
        failure: Failure | None,
        state: RunState,
    ) -> None:
        selected = step.selected
        scripts = scripts_for(self.collection, selected.folders, state.item or selected.item, "test")
        if not scripts:
            return
        seen = (
            sent_request(request)
            if request is not None
            else self._prerequest or template_request(selected.item)
        )
        cookies = self._cookies(response.url if response is not None else (request.url if request else ""))
        for level, event in scripts:
            outcome = self._run(event, "test", level, step, state, seen, script_response(response), cookies)
            seen = outcome.request
        self._sync(state)

    # ----------------------------------------------------------------- one script

    def _run(
        self,
        event: Event,
        listen: str,
        level: str,
        step: Step,
        state: RunState,
        request: ScriptRequest,
        response: ScriptResponse | None,
        cookies: list[tuple[str, str]],
    ) -> ScriptOutcome:
        item = step.selected.item
        outcome = self.engine.run(
            event.source,
            event="prerequest" if listen == "prerequest" else "test",
            item_name=item.name,
            item_path="/".join(step.path),
            item_id=item.id or "",
            scopes=self.scopes,
            request=ScriptRequest(
                request.method, request.url, list(request.headers), request.body, request.body_mode
            ),
            response=response,
            iteration=step.iteration,
            iteration_count=self.iteration_count,
            cookies=cookies,
        )
        self._dirty = True
        state.scripts_run += 1
        state.tests.extend(TestRecord(t.name, t.passed, t.skipped, t.error, listen) for t in outcome.tests)
        state.console.extend(ConsoleLine(lvl, text, listen) for lvl, text in outcome.console)
        if outcome.error is not None:
            e = outcome.error
            state.script_errors.append(ScriptFailure(listen, level, e.name, e.message, e.line, e.column))
        if outcome.next_request is not UNSET:
            state.jump = True
            state.jump_to = outcome.next_request if isinstance(outcome.next_request, str) else None
        return outcome

    def _sync(self, state: RunState) -> None:
        """Give the runner the values as the scripts left them (only when a script may have changed them)."""
        if not self._dirty:
            return
        self._dirty = False
        s = self.scopes
        state.values = Values(
            globals=_variables(s.globals),
            environment=_variables(s.environment),
            data=_data_texts(s.iteration_data),
            cli=_texts(s.local),
        )
        if s.collection == self._collection_variables:
            state.collection = self.collection
        else:
            state.collection = replace(self.collection, variables=_variables(s.collection))

    def _cookies(self, url: str) -> list[tuple[str, str]]:
        """The jar's cookies for ``url``'s host (``pm.cookies`` in test scripts)."""
        if self.transport is None or not url:
            return []
        host = (urlsplit(url).hostname or "").lower()
        out = []
        for cookie in self.transport.cookies:
            domain = cookie.domain.lower().lstrip(".")
            if cookie.value is not None and (host == domain or host.endswith("." + domain) or not domain):
                out.append((cookie.name, cookie.value))
        return out

    # ----------------------------------------------------------------- pm.sendRequest

    def _send_request(self, spec: dict[str, Any]) -> dict[str, Any]:
        """One ``pm.sendRequest``: resolved with the same rules as an item (no variables), sent on the run's
        session. Failures raise; the engine hands their message to the script's callback as ``err``."""
        if self.transport is None:
            raise RuntimeError("pm.sendRequest needs a transport (none was given to the script hooks)")
        request = _send_request_item(spec)
        holder = Collection(
            name=self.collection.name, items=(), file=self.collection.file, base_dir=self.collection.base_dir
        )
        try:
            resolved = resolve(holder, (), request, Values(), ResolveOptions())
            response = self.transport.send(
                resolved, deadline=self._deadline, default_timeout_ms=self.send_timeout_ms
            )
        except PostmanGenError as exc:  # SendError included
            raise RuntimeError(exc.message) from None
        return {
            "code": response.status,
            "status": response.reason,
            "headers": [list(h) for h in response.headers],
            "body": response.body,
            "response_time_ms": response.elapsed_ms,
            "size": response.wire_size,
        }


def _send_request_item(spec: Mapping[str, Any]) -> Item:
    body: Body | None = None
    mode = spec.get("body_mode")
    form = [(str(k), str(v)) for k, v in spec.get("form") or []]
    if mode == "urlencoded":
        body = Body(mode="urlencoded", urlencoded=tuple(KeyValue(k, v) for k, v in form))
    elif mode == "formdata":
        from postman_gen.collection.model import FormPart

        body = Body(mode="formdata", formdata=tuple(FormPart(k, v) for k, v in form))
    elif spec.get("body") is not None:
        body = Body(mode="raw", raw=str(spec["body"]))
    request = Request(
        method=str(spec.get("method") or "GET").upper(),
        url=Url(raw=str(spec.get("url") or ""), is_object=False),
        headers=tuple(KeyValue(str(k), str(v)) for k, v in spec.get("headers") or []),
        body=body,
        auth=Auth("noauth"),
    )
    return Item(name="pm.sendRequest", request=request)


def _replace(target: dict[str, Any], source: Mapping[str, Any]) -> None:
    target.clear()
    target.update(source)
