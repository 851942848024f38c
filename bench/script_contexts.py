"""The cost of a fresh JavaScript context per request (what keeps one script's damage from later requests).

Each request's scripts run in a context of their own, with the sandbox library (chai, lodash, moment,
CryptoJS, xml2js, the pm API: about 110 KB of JavaScript) evaluated into it first. This prints, for a typical
request with a pre-request and a test script, the time per request with a fresh context, the same two
scripts on one context shared by the whole run (the old design), the cost of making a context, and the
ratio; and a fresh context per script, for comparison.

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

    def one_request(reset_before: bool, reset_between: bool) -> None:
        if reset_before:
            engine.reset()
        script(PRE_REQUEST, "prerequest", None)
        if reset_between:
            engine.reset()
        script(SCRIPT, "test", response)

    def timed(reset_before: bool, reset_between: bool) -> float:
        one_request(True, False)  # warm up
        start = time.perf_counter()
        for _ in range(args.runs):
            one_request(reset_before, reset_between)
        return (time.perf_counter() - start) / args.runs

    shared = timed(False, False)
    per_request = timed(True, False)
    per_script = timed(True, True)
    start = time.perf_counter()
    for _ in range(args.runs):
        engine._new_context()
    context = (time.perf_counter() - start) / args.runs
    print(f"requests: {args.runs}, each with a pre-request and a test script")
    print(f"one context for the whole run (before): {shared * 1000:7.2f} ms per request")
    print(f"a fresh context per request (now):      {per_request * 1000:7.2f} ms per request")
    print(f"a fresh context per script:             {per_script * 1000:7.2f} ms per request")
    print(f"making one context:                     {context * 1000:7.2f} ms")
    print(f"per request / shared:                   {per_request / shared:7.1f}x")


if __name__ == "__main__":
    main()
