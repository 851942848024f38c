"""``generate --check`` on an unchanged large collection: the corpus's Stripe collection and its v3 form.

For each of the two, in a temporary folder (its own cache folder too, so nothing of the user's is used):

- cold: the first ``generate`` (nothing written yet, no manifest): load, resolve, render, write;
- check: ``generate --check`` on the unchanged output, which the manifest of the previous run answers
  without rendering (render/manifest.py): the median of ``--runs`` fresh processes;
- check after a hand edit: one generated file changed, so the manifest does not match and the full check
  runs (and fails, exit 1, as it must): the median of ``--runs`` processes;
- check after one request changed in the collection: everything is loaded and resolved again, only that
  request is rendered again (the others' code is read back from the output), exit 1;
- the start-up of a process that does nothing (``postman-gen --help``), to read the others against: the
  machine is shared, and process start-up alone varies with its load.

Each figure is wall time and CPU time (user + system of the process, which other work on a shared machine
does not inflate). Goal of issue 9: ``generate --check`` <= 0.3 s on an unchanged collection. Figures are
printed, never asserted (machine speed varies).

Usage: python3 bench/generate_check.py [--collection FILE] [--runs N] [-t TARGET]...
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
STRIPE = ROOT.parent / "shared" / "corpus" / "stripe-api.postman_collection.json"


class Took(NamedTuple):
    wall: float
    cpu: float  # user + system time of the process: what the machine's other work does not inflate

    def __str__(self) -> str:
        return f"{self.wall * 1000:6.0f} ms wall, {self.cpu * 1000:4.0f} ms CPU"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str], cwd: Path, expect: int = 0) -> Took:
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True)
    took = Took(time.perf_counter() - start, _cpu() - cpu)
    if done.returncode != expect:
        sys.exit(f"{' '.join(command)}: exit {done.returncode}, expected {expect}\n{done.stderr.decode()}")
    return took


def median(command: list[str], env: dict[str, str], cwd: Path, runs: int, expect: int = 0) -> Took:
    runs_ = [timed(command, env, cwd, expect) for _ in range(runs)]
    return Took(statistics.median(t.wall for t in runs_), statistics.median(t.cpu for t in runs_))


def change_one_request(given: Path) -> None:
    """The method of the first request becomes PURGE (a v2 file, or a v3 tree's first request file)."""
    if given.is_file():
        doc = json.loads(given.read_text(encoding="utf-8"))
        node = doc["item"][0]
        while "item" in node:
            node = node["item"][0]
        node["request"]["method"] = "PURGE"
        given.write_text(json.dumps(doc), encoding="utf-8")
        return
    first = sorted(given.rglob("*.request.yaml"))[0]
    text = first.read_text(encoding="utf-8")
    first.write_text(re.sub(r"(?m)^method: .*$", "method: PURGE", text, count=1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--collection", type=Path, default=STRIPE)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("-t", "--target", dest="targets", action="append")
    args = parser.parse_args()
    if not args.collection.is_file():
        sys.exit(f"no collection at {args.collection} (pass --collection FILE)")
    targets = [x for t in (args.targets or ["python-requests", "curl"]) for x in ("-t", t)]
    with tempfile.TemporaryDirectory(prefix="bench-check-") as scratch:
        work = Path(scratch)
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache"), "PYTHONPATH": str(ROOT)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode cached, as in an installed package
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        pg = [sys.executable, "-m", "postman_gen"]
        (work / "v2").mkdir()
        source = work / "v2" / args.collection.name
        source.write_bytes(args.collection.read_bytes())
        timed([*pg, "convert", str(source), "-o", str(work / "v3")], env, work)
        # one untimed run fills the bytecode and compiled-template caches (as after installing)
        timed([*pg, "generate", str(source), "-o", str(work / "warm-up"), *targets], env, work)
        start_up = median([*pg, "--help"], env, work, args.runs)
        print(
            f"collection: {args.collection.name}; targets: {' '.join(targets[1::2])}; median of {args.runs}"
        )
        print(f"process start-up (postman-gen --help):      {start_up}")
        for label, given in (("v2", source), ("v3", work / "v3")):
            out = work / f"out-{label}"
            generate = [*pg, "generate", str(given), "-o", str(out), *targets]
            cold = timed(generate, env, work)
            check = median([*generate, "--check"], env, work, args.runs)
            edited = next(p for p in sorted(out.rglob("*")) if p.is_file() and p.name != "index.json")
            edited.write_text(edited.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
            stale = median([*generate, "--check"], env, work, args.runs, expect=1)
            change_one_request(given)
            changed = median([*generate, "--check"], env, work, args.runs, expect=1)
            files = sum(1 for p in out.rglob("*") if p.is_file())
            print(f"{label}: cold generate ({files} files):         {cold}")
            print(f"{label}: --check, unchanged:                 {check}  (goal <= 300 ms)")
            print(f"{label}: --check, one file edited:           {stale}  (exit 1)")
            print(f"{label}: --check, one request changed:       {changed}  (that request rendered; exit 1)")


if __name__ == "__main__":
    main()
