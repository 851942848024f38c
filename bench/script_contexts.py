"""What isolating one request's scripts from the next costs: a context scrubbed clean vs a fresh one.

Each request's scripts start clean. The engine keeps one context and scrubs it between requests
(``js/96_reuse.js``); the alternative is a fresh context with the sandbox library (chai, lodash, moment,
CryptoJS, xml2js, the pm API: about 110 KB of JavaScript) evaluated into it again. This prints, for a
typical request with a pre-request and a test script, the CPU time per request with no isolation at all
(one context, never cleaned), with the scrub (now), with a fresh context per request (before), with a
fresh context per script, and the cost of making one context.

    python bench/script_contexts.py [--runs 200]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from postman_gen.scripts.engine import ScriptEngine  # noqa: E402
from postman_gen.scripts.model import Scopes, ScriptRequest, ScriptResponse  # noqa: E402

PRE_REQUEST = "pm.variables.set('started', Date.now());"
SCRIPT = """
pm.test("status is 200", () => pm.response.to.have.status(200));
pm.test("body has an id", () => pm.expect(pm.response.json().id).to.equal(42));
pm.environment.set("last_id", pm.response.json().id);
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    engine = ScriptEngine()
    response = ScriptResponse(200, "OK", [("Content-Type", "application/json")], b'{"id": 42}', 12.0, 10)
    request = ScriptRequest("GET", "http://127.0.0.1/items/42")
    scopes = Scopes()

    def script(source: str, event: str, answer: ScriptResponse | None) -> None:
        outcome = engine.run(
            source,
            event=event,
            item_name="get",
            scopes=scopes,
            request=request,
            response=answer,  # type: ignore[arg-type]
        )
        assert outcome.error is None and all(t.passed for t in outcome.tests), outcome

    def one_request(before: str, fresh_between: bool) -> None:
        if before == "scrub":
            engine.reset()
        elif before == "fresh":
            engine.close()
        script(PRE_REQUEST, "prerequest", None)
        if fresh_between:
            engine.close()
        script(SCRIPT, "test", response)

    def timed(before: str, fresh_between: bool = False) -> float:
        one_request("fresh", False)  # warm up
        start = time.process_time()
        for _ in range(args.runs):
            one_request(before, fresh_between)
        return (time.process_time() - start) / args.runs

    shared = timed("nothing")
    scrubbed = timed("scrub")
    fresh = timed("fresh")
    per_script = timed("fresh", True)
    start = time.process_time()
    for _ in range(args.runs):
        engine._new_context()
    context = (time.process_time() - start) / args.runs
    print(f"requests: {args.runs}, each with a pre-request and a test script; CPU time")
    print(f"one context, never cleaned (no isolation):  {shared * 1000:7.2f} ms per request")
    print(f"one context scrubbed per request (now):     {scrubbed * 1000:7.2f} ms per request")
    print(f"a fresh context per request (before):       {fresh * 1000:7.2f} ms per request")
    print(f"a fresh context per script:                 {per_script * 1000:7.2f} ms per request")
    print(f"making one context:                         {context * 1000:7.2f} ms")
    print(f"fresh / scrubbed:                           {fresh / scrubbed:7.1f}x")


if __name__ == "__main__":
    main()
