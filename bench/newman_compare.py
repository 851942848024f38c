"""Replay the same collections with Newman and with postman-gen against a capture server; list differences.

Where ``node`` and ``npm`` exist, Newman is installed into ``bench/node_modules`` (gitignored) with
``npm install --prefix bench --no-save newman``. Every collection is first made local: each request's
origin is rewritten to the capture server on 127.0.0.1 (so neither tool ever leaves this machine) and
scripts are removed (a script could call out, and replay does not run scripts yet). Both tools then run
the same rewritten file; the requests the server received are compared one by one: method, target,
header names and values in order, body bytes. Values that are random by design (Postman-Token, $guid,
multipart boundaries, OAuth nonces and signatures, timestamps) are normalised before comparing.

    python bench/newman_compare.py [--corpus DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.newman_tools import NEWMAN, ensure_newman, localise, loopback_only  # noqa: E402
from bench.recorder import Recorded, Recorder  # noqa: E402

LOCAL = [
    ROOT / "collections" / "features.postman_collection.json",
    ROOT / "collections" / "legacy-v2.0.postman_collection.json",
    ROOT / "collections" / "auth0-update-a-user.postman_item.json",
]
CORPUS_PICKS = [
    "auth0-authentication-api.postman_collection.json",
    "elastic-connectors-api.postman_collection.json",
    "wsdl-amazon-sqs-soap.postman_collection.json",
    "k6-inherit-nested.postman_collection.json",
    "newman-echo-v2.postman_collection.json",
]
ENVIRONMENT = {"api_token": "local-token-123", "user_id": "42", "auth0_token": "tok"}
RANDOM = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I), "<uuid>"),
    (re.compile(r"(oauth_(?:nonce|timestamp|signature))=\"?[^\",&]*"), r"\1=<random>"),
    (re.compile(r"(nonce|ts|mac|cnonce|response|signature|Signature)=\"?[^\",;&]*"), r"\1=<random>"),
    (re.compile(r"\b\d{8}T\d{6}Z\b"), "<amzdate>"),
    (re.compile(r"timestamp=[^;]*;nonce=[^;]*;"), "timestamp=<t>;nonce=<n>;"),
    (re.compile(r"NTLM \S+"), "NTLM <token>"),
]
RANDOM_HEADERS = {"postman-token"}


# --------------------------------------------------------------------------- making a collection local


# --------------------------------------------------------------------------- running both


def run_newman(file: Path, env: Path, guard: dict[str, str]) -> None:
    subprocess.run(
        [
            str(NEWMAN),
            "run",
            str(file),
            "-e",
            str(env),
            "--silent",
            "--insecure",
            "--timeout-request",
            "5000",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=300,
        check=False,
        env=dict(os.environ, **guard),
    )


def run_ours(file: Path, env: Path, guard: dict[str, str]) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "postman_gen",
            "run",
            str(file),
            "-e",
            str(env),
            "--silent",
            "-k",
            "--timeout-request",
            "5000",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=600,
        check=False,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT), **guard),
    )


# --------------------------------------------------------------------------- comparing


def _norm(text: str, boundary: str | None) -> str:
    if boundary:
        text = text.replace(boundary, "<boundary>")
    for pattern, repl in RANDOM:
        text = pattern.sub(repl, text)
    return text


def _boundary(c: Recorded) -> str | None:
    match = re.search(r"boundary=([^;\s]+)", c.header("Content-Type") or "")
    return match.group(1).strip('"') if match else None


def _view(c: Recorded) -> tuple[str, str, list[tuple[str, str]], str]:
    b = _boundary(c)
    headers = [(k, _norm(v, b)) for k, v in c.headers if k.lower() not in RANDOM_HEADERS]
    if b:
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
    body = _norm(c.body.decode("utf-8", "replace"), b)
    return c.method, _norm(c.target, None), headers, body


def _pairs(
    ours: list[Recorded], theirs: list[Recorded], diffs: list[str]
) -> list[tuple[int, Recorded, Recorded]]:
    """Requests matched by (method, path) in order; the unmatched ones are differences themselves."""
    keys_a = [(c.method, c.path) for c in ours]
    keys_b = [(c.method, c.path) for c in theirs]
    pairs = []
    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(a=keys_a, b=keys_b, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and a1 - a0 == b1 - b0):
            pairs += [(b0 + k, ours[a0 + k], theirs[b0 + k]) for k in range(a1 - a0)]
            continue
        diffs += [f"only postman-gen sends: {m} {p}" for m, p in keys_a[a0:a1]]
        diffs += [f"only newman sends: {m} {p}" for m, p in keys_b[b0:b1]]
    return pairs


def _first_difference(a: str, b: str) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"at {i}: {a[max(i - 30, 0) : i + 40]!r} vs newman {b[max(i - 30, 0) : i + 40]!r}"


def compare(ours: list[Recorded], theirs: list[Recorded]) -> list[str]:
    diffs: list[str] = []
    for i, a, b in _pairs(ours, theirs, diffs):
        (ma, ta, ha, ba), (mb, tb, hb, bb) = _view(a), _view(b)
        where = f"#{i + 1} {mb} {tb[:70]}"
        if ma != mb:
            diffs.append(f"{where}: method {ma} vs newman {mb}")
        if ta != tb:
            diffs.append(f"{where}: target {ta!r} vs newman {tb!r}")
        only_ours = [h for h in ha if h not in hb]
        only_theirs = [h for h in hb if h not in ha]
        for k, v in only_ours:
            diffs.append(f"{where}: header only postman-gen sends: {k}: {v[:90]}")
        for k, v in only_theirs:
            diffs.append(f"{where}: header only newman sends: {k}: {v[:90]}")
        common_a = [h[0].lower() for h in ha if h in hb]
        common_b = [h[0].lower() for h in hb if h in ha]
        if common_a != common_b:
            diffs.append(f"{where}: header order differs: {common_a} vs newman {common_b}")
        if ba != bb:
            diffs.append(f"{where}: body differs {_first_difference(ba, bb)}")
    return diffs


def _generic(line: str) -> str:
    """The part of a difference line after the request, to count how often each kind occurs."""
    return re.sub(r"^#\d+ \S+ \S+: ", "", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--limit", type=int, default=40, help="differences printed per collection")
    args = parser.parse_args()
    if not ensure_newman():
        return
    files = list(LOCAL) + [Path(args.corpus) / n for n in CORPUS_PICKS if (Path(args.corpus) / n).exists()]
    overall: Counter[str] = Counter()
    with (
        tempfile.TemporaryDirectory(prefix="newman-compare-") as tmp,
        Recorder() as server,
        loopback_only() as guard,
    ):
        env = Path(tmp) / "env.json"
        values = [
            {"key": k, "value": v, "enabled": True}
            for k, v in {**ENVIRONMENT, "base_url": server.url}.items()
        ]
        env.write_text(json.dumps({"name": "compare", "values": values}))
        for file in files:
            doc = localise(json.loads(file.read_text(encoding="utf-8-sig")), server.url, keep_events=False)
            local = Path(tmp) / file.name
            local.write_text(json.dumps(doc))
            for asset in (ROOT / "collections" / "files").glob("*"):
                (Path(tmp) / "files").mkdir(exist_ok=True)
                shutil.copy(asset, Path(tmp) / "files" / asset.name)
            server.clear()
            run_newman(local, env, guard)
            theirs = server.requests
            server.clear()
            run_ours(local, env, guard)
            ours = server.requests
            diffs = compare(ours, theirs)
            print(
                f"\n== {file.name}: {len(theirs)} requests from newman, {len(ours)} from postman-gen, "
                f"{len(diffs)} differences"
            )
            for line in diffs[: args.limit]:
                print("  " + line)
            if len(diffs) > args.limit:
                print(f"  ... {len(diffs) - args.limit} more")
            overall.update(_generic(d) for d in diffs)
    print("\n== differences by kind (all collections)")
    for line, n in overall.most_common(40):
        print(f"  {n:>4}× {line}")


if __name__ == "__main__":
    main()
