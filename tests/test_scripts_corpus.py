"""Every script of every v2 collection in the shared corpus runs without hitting a missing API.

Each script runs with empty scopes and a plausible fake response (200, ``{}``, and the item's saved
example body when it has one).  Assertion failures and TypeErrors from reading fields of an empty
body are expected; what must not happen is a ReferenceError, an "is not a function" on our API,
or an unavailable module.
"""

from __future__ import annotations

import collections
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.extras import require

require("scripts")

from postman_gen.scripts import Scopes, ScriptEngine, ScriptOutcome, ScriptRequest, ScriptResponse  # noqa: E402

pytestmark = pytest.mark.slow  # runs generated code, linters or a whole corpus

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus")

# What postman-gen does not offer by design: Postman's package library, npm packages fetched at
# run time, and pm.execution.runRequest.
UNSUPPORTED_BY_DESIGN = re.compile(
    r"module (npm:\S+|jsr:\S+|package\d*|@\S+) is not available|pm\.execution\.runRequest is not supported"
)
# Globals that Postman's sandbox defines: a ReferenceError naming one of them is a missing API;
# any other undefined name is the script's own bug (e.g. a helper defined in no script).
POSTMAN_GLOBALS = frozenset(
    "pm postman console require _ CryptoJS tv4 xml2Json cheerio atob btoa Buffer crypto setTimeout "
    "setInterval clearTimeout clearInterval setImmediate responseBody responseCode responseHeaders "
    "responseTime responseCookies tests environment globals data iteration request".split()
)
# Calls of our objects' members that are not functions, and modules or features we refuse.
MISSING_API = re.compile(
    r"not available in the sandbox|is not supported (in|by) the postman-gen|Cannot find module"
    r"|\b(pm|postman|console|_|CryptoJS|xml2js|moment|uuid|Buffer|crypto|responseBody|request|tests|"
    r"environment|globals|data)\.[\w$.]*(?<!\.) is not a function"
)


def _is_missing_api(text: str) -> bool:
    if UNSUPPORTED_BY_DESIGN.search(text):
        return False
    undefined = re.search(r"ReferenceError: (\S+) is not defined", text)
    if undefined:
        return undefined.group(1) in POSTMAN_GLOBALS
    return bool(MISSING_API.search(text))


@dataclass(frozen=True)
class Script:
    collection: str
    where: str
    event: str
    source: str
    request: ScriptRequest
    example_body: bytes | None


def _exec_text(script: Any) -> str:
    """The source of an event's script; a bare string is a reference to a script id, not source."""
    if not isinstance(script, dict):
        return ""
    exec_ = script.get("exec")
    if isinstance(exec_, list):
        return "\n".join(line for line in exec_ if isinstance(line, str))
    return exec_ if isinstance(exec_, str) else ""


def _request_of(item: dict[str, Any]) -> ScriptRequest:
    req = item.get("request")
    if not isinstance(req, dict):
        return ScriptRequest("GET", str(req or "http://localhost/"))
    url = req.get("url")
    raw = url.get("raw", "") if isinstance(url, dict) else str(url or "")
    headers = [
        (str(h.get("key", "")), str(h.get("value", "")))
        for h in req.get("header") or []
        if isinstance(h, dict) and not h.get("disabled")
    ]
    body = req.get("body") if isinstance(req.get("body"), dict) else {}
    raw_body = body.get("raw") if body.get("mode") == "raw" else None
    return ScriptRequest(
        str(req.get("method", "GET")), raw, headers, raw_body if isinstance(raw_body, str) else None
    )


def _example_body(item: dict[str, Any]) -> bytes | None:
    for example in item.get("response") or []:
        if isinstance(example, dict) and isinstance(example.get("body"), str) and example["body"].strip():
            return example["body"].encode("utf-8")
    return None


def _walk(node: dict[str, Any], collection: str, where: str, request: ScriptRequest) -> Iterator[Script]:
    is_item = "request" in node
    if is_item:
        request = _request_of(node)
    example = _example_body(node) if is_item else None
    for index, event in enumerate(node.get("event") or []):
        if not isinstance(event, dict):
            continue
        source = _exec_text(event.get("script"))
        if source.strip():
            yield Script(
                collection, f"{where}event[{index}]", str(event.get("listen")), source, request, example
            )
    for index, child in enumerate(node.get("item") or []):
        if isinstance(child, dict):
            yield from _walk(child, collection, f"{where}item[{index}].", request)


def corpus_scripts() -> list[Script]:
    scripts: list[Script] = []
    for path in sorted(CORPUS.glob("*.postman_collection.json")):
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        if isinstance(data, dict) and "info" in data:
            scripts.extend(_walk(data, path.name, "", ScriptRequest("GET", "http://localhost/")))
    return scripts


def _run(engine: ScriptEngine, script: Script, body: bytes) -> ScriptOutcome:
    response = (
        ScriptResponse(200, "OK", [("Content-Type", "application/json")], body, 5.0)
        if script.event == "test"
        else None
    )
    return engine.run(
        script.source,
        event="test" if script.event == "test" else "prerequest",
        item_name=script.where,
        item_path=script.where,
        scopes=Scopes(),
        request=ScriptRequest(
            script.request.method, script.request.url, list(script.request.headers), script.request.body
        ),
        response=response,
    )


def _problems(outcome: ScriptOutcome) -> list[str]:
    texts = [f"{outcome.error.name}: {outcome.error.message}"] if outcome.error else []
    texts += [t.error for t in outcome.tests if t.error]
    return texts


def _category(outcome: ScriptOutcome) -> str:
    if outcome.error is not None:
        err = outcome.error
        text = f"{err.name}: {err.message}"
        if UNSUPPORTED_BY_DESIGN.search(text):
            return "unsupported-by-design"
        if _is_missing_api(text):
            return "missing-api"
        return f"error:{err.name}"
    failed = [t for t in outcome.tests if not t.passed and not t.skipped]
    if any(t.error and _is_missing_api(t.error) for t in failed):
        return "missing-api"
    return "assertion-failed" if failed else "passed"


def _fake_send(request: dict[str, Any]) -> dict[str, Any]:
    return {"code": 200, "status": "OK", "headers": [["Content-Type", "application/json"]], "body": "{}"}


@pytest.fixture(scope="module")
def scripts() -> list[Script]:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not present")
    return corpus_scripts()


def test_corpus_scripts_hit_no_missing_api(scripts: list[Script]) -> None:
    engine = ScriptEngine(timeout_ms=5000, send_request=_fake_send, max_send_requests=10_000)
    counts: collections.Counter[str] = collections.Counter()
    missing: list[str] = []
    other: collections.Counter[str] = collections.Counter()
    for script in scripts:
        bodies = [b"{}"] + ([script.example_body] if script.event == "test" and script.example_body else [])
        for body in bodies:
            outcome = _run(engine, script, body)
            category = _category(outcome)
            counts[category] += 1
            if category.startswith("error:") and outcome.error is not None:
                other[f"{outcome.error.name}: {outcome.error.message}"[:90]] += 1
            if category == "missing-api":
                missing.append(f"{script.collection} {script.where} ({script.event}): {_problems(outcome)}")
    summary = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    print(f"\ncorpus scripts: {len(scripts)}, runs: {sum(counts.values())}: {summary}")  # noqa: T201
    for text, n in other.most_common(25):
        print(f"  {n:4d}  {text}")  # noqa: T201
    assert len(scripts) > 0
    assert not missing, "\n".join(missing[:40])
