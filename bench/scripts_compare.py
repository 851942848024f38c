"""Run collections with scripts through Newman and postman-gen against one local echo server; compare results.

Where ``node`` and ``npm`` exist, Newman is installed into ``bench/node_modules`` (gitignored) with
``npm install --prefix bench --no-save newman``. Each collection is made local first: every request's
origin, and every collection, environment or globals variable that is an http(s) URL, is rewritten
to a ``postman-gen echo`` server on 127.0.0.1; scripts are kept. A script may still build an outside
URL (``pm.environment.set('url', 'https://...')``), so both tools run with ``HTTP(S)_PROXY`` set to a
closed port on 127.0.0.1 and ``NO_PROXY=127.0.0.1``: such a request fails at once, on this machine. Both
tools run the same files with the same environment, globals and data, and export the environment and
globals they end with. Compared, in run order: the items run (setNextRequest, skipRequest), each item's
``pm.test`` names and results, script errors, and the exported environment and globals.

    python bench/scripts_compare.py [--corpus DIR]
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.newman_tools import NEWMAN, ensure_newman, local_values, localise, loopback_only  # noqa: E402
from postman_gen.devserver.echo import EchoServer  # noqa: E402


@dataclass(frozen=True)
class Case:
    """One comparison: a collection with optional environment, globals and iteration data."""

    name: str
    collection: Path
    environment: Path | None = None
    globals: Path | None = None
    data: list[dict[str, str]] = field(default_factory=list)
    env_values: dict[str, str] = field(default_factory=dict)  # added to the environment ({origin} filled)


def cases(corpus: Path) -> list[Case]:
    out = [
        Case(
            "scripted (ours)",
            ROOT / "collections" / "scripted.postman_collection.json",
            env_values={"base_url": "{origin}/anything"},
        )
    ]
    picks = [
        Case(
            "newman-globals-env-data",
            corpus / "newman-globals-env-data.postman_collection.json",
            corpus / "newman-globals-env-data.postman_environment.json",
            corpus / "newman-globals-env-data.postman_globals.json",
            data=[{"data": "first"}, {"data": "second"}],
        ),
        Case("codegen-newman-basic", corpus / "codegen-newman-basic.postman_collection.json"),
        Case("pmcollection-digest", corpus / "pmcollection-digest.postman_collection.json"),
        Case(
            "newman-inherited-entities",
            corpus / "newman-inherited-entities.postman_collection.json",
            corpus / "newman-inherited-entities.postman_environment.json",
        ),
        Case("newman-whatwg-url", corpus / "newman-whatwg-url.postman_collection.json"),
    ]
    return out + [c for c in picks if c.collection.exists()]


@contextmanager
def echo_server() -> Iterator[str]:
    server = EchoServer("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        thread.join(5)


# --------------------------------------------------------------------------- making inputs local


def write_inputs(case: Case, folder: Path, origin: str) -> dict[str, Path]:
    """The local collection, environment, globals and data files both tools read."""
    files = {"collection": folder / "collection.json", "environment": folder / "environment.json"}
    doc = json.loads(case.collection.read_text(encoding="utf-8-sig"))
    files["collection"].write_text(json.dumps(localise(doc, origin)))
    env: dict[str, Any] = {"name": "compare", "values": []}
    if case.environment is not None:
        env = json.loads(case.environment.read_text(encoding="utf-8-sig"))
    env["values"] = local_values(env.get("values", []), origin)
    env["values"] += [
        {"key": k, "value": v.format(origin=origin), "enabled": True} for k, v in case.env_values.items()
    ]
    files["environment"].write_text(json.dumps(env))
    if case.globals is not None:
        data = json.loads(case.globals.read_text(encoding="utf-8-sig"))
        rows = data if isinstance(data, list) else data.get("values", [])
        local_values(rows, origin)
        files["globals"] = folder / "globals.json"
        files["globals"].write_text(json.dumps(data))
    if case.data:
        files["data"] = folder / "data.json"
        files["data"].write_text(json.dumps(case.data))
    return files


# --------------------------------------------------------------------------- running both


def _common_args(files: dict[str, Path], out: Path) -> list[str]:
    args = [str(files["collection"]), "-e", str(files["environment"])]
    if "globals" in files:
        args += ["-g", str(files["globals"])]
    if "data" in files:
        args += ["-d", str(files["data"])]
    return args + [
        "--timeout-request",
        "5000",
        "--export-environment",
        str(out / "environment.json"),
        "--export-globals",
        str(out / "globals.json"),
    ]


def _run(args: list[str], env: dict[str, str]) -> None:
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(args, timeout=300, check=False, cwd=ROOT, env=dict(os.environ, **env), **quiet)


def run_newman(files: dict[str, Path], out: Path, env: dict[str, str]) -> None:
    args = [str(NEWMAN), "run", *_common_args(files, out)]
    _run(args + ["-r", "json", "--reporter-json-export", str(out / "report.json")], env)


def run_ours(files: dict[str, Path], out: Path, env: dict[str, str]) -> None:
    args = [sys.executable, "-m", "postman_gen", "run", *_common_args(files, out), "--silent"]
    args += ["-r", "json", "--reporter-json-export", str(out / "report.json")]
    _run(args, {**env, "PYTHONPATH": str(ROOT)})


# --------------------------------------------------------------------------- reading the results

Outcome = tuple[str, list[tuple[str, str]], list[str]]  # item name, [(test, result)], [script errors]


def _result(passed: bool, skipped: bool, message: str | None = None) -> str:
    """``pass``, ``skipped`` or ``FAIL``; a failure carries its message after a tab (shown, not compared)."""
    return "skipped" if skipped else ("pass" if passed else f"FAIL\t{message or ''}")


def _message(error: dict[str, Any] | None) -> str:
    """Newman's failure text as ours is written: the message, with the class unless an assertion."""
    if not error:
        return ""
    name, message = error.get("name", ""), error.get("message", "")
    return message if name == "AssertionError" else f"{name}: {message}"


def newman_outcomes(report: Path) -> list[Outcome]:
    run = json.loads(report.read_text())["run"]
    out = []
    for e in run["executions"]:
        tests = [
            (a["assertion"], _result("error" not in a, bool(a.get("skipped")), _message(a.get("error"))))
            for a in e.get("assertions") or []
        ]
        errors = [
            f"{event}: {s['error'].get('name')}: {s['error'].get('message')}"
            for event, key in (("prerequest", "prerequestScript"), ("test", "testScript"))
            for s in e.get(key) or []
            if s.get("error")
        ]
        out.append((e["item"]["name"], tests, errors))
    return out


def our_outcomes(report: Path) -> list[Outcome]:
    doc = json.loads(report.read_text())
    out = []
    for e in doc["executions"]:
        if e["skipped"]:
            continue
        tests = [(t["name"], _result(t["passed"], t["skipped"], t["error"])) for t in e["tests"]]
        errors = [f"{x['event']}: {x['name']}: {x['message']}" for x in e["script_errors"]]
        out.append((e["item"][-1], tests, errors))
    return out


def exported(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"<not written>": True}
    data = json.loads(path.read_text())
    rows = data if isinstance(data, list) else data.get("values", [])
    return {r["key"]: r.get("value") for r in rows if r.get("enabled", True) is not False}


# --------------------------------------------------------------------------- comparing


def compare_runs(ours: list[Outcome], theirs: list[Outcome]) -> list[str]:
    diffs: list[str] = []
    names_a, names_b = [o[0] for o in ours], [o[0] for o in theirs]
    matcher = difflib.SequenceMatcher(a=names_a, b=names_b, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag != "equal":
            diffs.append(f"items run: postman-gen {names_a[a0:a1]} vs newman {names_b[b0:b1]}")
            continue
        for k in range(a1 - a0):
            diffs += _compare_item(a0 + k, ours[a0 + k], theirs[b0 + k])
    return diffs


MESSAGES: dict[tuple[str, str], int] = {}  # (ours, newman) failure texts that differ, with counts


def _compare_item(index: int, ours: Outcome, theirs: Outcome) -> list[str]:
    where = f"#{index + 1} {ours[0]!r}"
    diffs = []
    status_a = [(name, result.split("\t")[0]) for name, result in ours[1]]
    status_b = [(name, result.split("\t")[0]) for name, result in theirs[1]]
    if status_a != status_b:
        only_ours = [t for t in status_a if t not in status_b]
        only_theirs = [t for t in status_b if t not in status_a]
        diffs.append(f"{where}: tests postman-gen {only_ours} vs newman {only_theirs}")
    else:
        for (_, a), (_, b) in zip(ours[1], theirs[1], strict=True):
            if a != b:
                key = (a.partition("\t")[2], b.partition("\t")[2])
                MESSAGES[key] = MESSAGES.get(key, 0) + 1
    kinds_a = [e.split(": ")[0:2] for e in ours[2]]
    kinds_b = [e.split(": ")[0:2] for e in theirs[2]]
    if kinds_a != kinds_b:
        diffs.append(f"{where}: script errors postman-gen {ours[2]} vs newman {theirs[2]}")
    return diffs


def compare_values(label: str, ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    diffs = []
    for key in sorted(set(ours) | set(theirs)):
        a, b = ours.get(key, "<missing>"), theirs.get(key, "<missing>")
        if a != b:
            diffs.append(
                f"exported {label} {key!r}: postman-gen {json.dumps(a)[:80]} vs newman {json.dumps(b)[:80]}"
            )
    return diffs


def run_case(case: Case, origin: str, tmp: Path, env: dict[str, str]) -> tuple[list[str], dict[str, int]]:
    folder = tmp / re.sub(r"\W+", "-", case.name)
    for sub in ("in", "newman", "ours"):
        (folder / sub).mkdir(parents=True)
    files = write_inputs(case, folder / "in", origin)
    run_newman(files, folder / "newman", env)
    run_ours(files, folder / "ours", env)
    theirs = newman_outcomes(folder / "newman" / "report.json")
    ours = our_outcomes(folder / "ours" / "report.json")
    diffs = compare_runs(ours, theirs)
    for label in ("environment", "globals"):
        name = f"{label}.json"
        diffs += compare_values(label, exported(folder / "ours" / name), exported(folder / "newman" / name))
    counts = {
        "requests": len(theirs),
        "tests": sum(len(o[1]) for o in theirs),
        "passed": sum(1 for o in theirs for _, r in o[1] if r == "pass"),
        "ours_passed": sum(1 for o in ours for _, r in o[1] if r == "pass"),
    }
    return diffs, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    args = parser.parse_args()
    if not ensure_newman():
        return
    total = 0
    with (
        tempfile.TemporaryDirectory(prefix="scripts-compare-") as tmp,
        echo_server() as origin,
        loopback_only() as env,
    ):
        for case in cases(Path(args.corpus)):
            diffs, counts = run_case(case, origin, Path(tmp), env)
            total += len(diffs)
            print(
                f"\n== {case.name}: {counts['requests']} requests, {counts['tests']} tests "
                f"(newman {counts['passed']} passed, postman-gen {counts['ours_passed']}), "
                f"{len(diffs)} differences"
            )
            for line in diffs:
                print("  " + line)
    print(f"\n{total} differences in all")
    if MESSAGES:
        print("\nfailure messages worded differently (same test, same result):")
        for (a, b), n in sorted(MESSAGES.items(), key=lambda kv: -kv[1]):
            print(f"  {n:>3}× postman-gen {a[:70]!r}\n       newman      {b[:70]!r}")


if __name__ == "__main__":
    main()
