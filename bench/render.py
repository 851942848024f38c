"""Code generation speed: postman-gen against postman-code-generators (PCG), in one run.

Prints:
- snippets/s for python-requests and curl over a 2,000-request collection, load + resolve included
  (the collection is written to a temporary folder: the items of collections/features, repeated);
  per target (load + resolve + render of that target alone, as ``generate -t TARGET``) and
  "generate-style" (load + resolve once, then both targets rendered, as ``generate -t python-requests
  -t curl``: 2 snippets per request, snippets/s = 2 x requests / time);
- the wall time of one ``postman-gen render`` of the Auth0 item (a fresh process, best and median of 10,
  with bytecode cached as in an installed package; also without, when ``PYTHONDONTWRITEBYTECODE`` is set);
- where node and npm exist, the same two figures for PCG (installed on first use with
  ``npm install --prefix bench/.node postman-code-generators postman-collection``, gitignored): snippets/s
  measured inside one node process (start-up excluded), and a one-shot ``node`` run for the Auth0 item.

Generate-style is also shown per second of CPU time of each process (Python's ``process_time``, node's
``process.cpuUsage``, all its threads): on a shared machine, the wall-clock rates of the two sides, measured
one after the other, vary with what else runs.

Fair to both sides: the same collection file on the same machine; each side reads and parses the file,
builds its model and renders every request inside the timing (postman-gen also validates and resolves
variables, which PCG does not do); both get the same untimed warm-up runs (JIT, caches) and the median
of the same number of timed runs is shown, with the ratio of the harmonic means at the end.

Usage: python3 bench/render.py [--requests N] [--warmups N] [--repeats N] [--runs N] [--no-pcg]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLLECTIONS = ROOT / "collections"
AUTH0 = COLLECTIONS / "auth0-update-a-user.postman_item.json"
NODE_PREFIX = ROOT / "bench" / ".node"
TARGETS = (("python-requests", "python", "requests"), ("curl", "curl", "curl"))

PCG_SCRIPT = r"""
const fs = require('fs');
const path = require('path');
const prefix = process.argv[2];
const codegen = require(path.join(prefix, 'node_modules', 'postman-code-generators'));
const sdk = require(path.join(prefix, 'node_modules', 'postman-collection'));
const mode = process.argv[3];
const file = process.argv[4];
const warmups = Number(process.argv[5] || 0);
const repeats = Number(process.argv[6] || 1);
function load() {
  // reading and parsing the file is inside the timing, as postman-gen's load reads and parses it
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const requests = [];
  if (mode === 'item') {
    requests.push(new sdk.Item(doc).request);
  } else {
    new sdk.Collection(doc).forEachItem((item) => requests.push(item.request));
  }
  return requests;
}
function convertAll(language, variant, requests) {
  return new Promise((resolve) => {
    let done = 0;
    for (const request of requests) {
      codegen.convert(language, variant, request, {}, (error) => {
        if (error) { throw error; }
        done += 1;
        if (done === requests.length) { resolve(); }
      });
    }
  });
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
(async () => {
  if (mode === 'item') {
    await convertAll('curl', 'curl', load());
    return;
  }
  const out = {};
  for (const [language, variant] of [['python', 'requests'], ['curl', 'curl']]) {
    const times = [];
    for (let run = 0; run < warmups + repeats; run += 1) {
      const start = process.hrtime.bigint();
      const requests = load();  // the collection model is built inside the timing, like load + resolve
      await convertAll(language, variant, requests);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (run >= warmups) { times.push(requests.length / seconds); }
    }
    out[language] = median(times);
  }
  // generate-style: the collection model built once, then both targets converted (2 snippets per request)
  const both = [];
  const bothCpu = [];
  for (let run = 0; run < warmups + repeats; run += 1) {
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const requests = load();
    await convertAll('python', 'requests', requests);
    await convertAll('curl', 'curl', requests);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    if (run >= warmups) {
      both.push((2 * requests.length) / seconds);
      bothCpu.push((2 * requests.length) / ((used.user + used.system) / 1e6));
    }
  }
  out.both = median(both);
  out.both_cpu = median(bothCpu);
  console.log(JSON.stringify(out));
})();
"""


def big_collection(directory: Path, count: int) -> Path:
    """The items of collections/features, repeated in folders until ``count`` requests."""
    features = json.loads((COLLECTIONS / "features.postman_collection.json").read_text(encoding="utf-8"))
    items = []

    def walk(nodes: list[dict]) -> None:
        for node in nodes:
            if "item" in node:
                walk(node["item"])
            else:
                items.append(node)

    walk(features["item"])
    folders, n = [], 0
    while n < count:
        chunk = []
        for item in items[: count - n]:
            clone = copy.deepcopy(item)
            clone["name"] = f"{item['name']} {n}"
            chunk.append(clone)
            n += 1
        folders.append({"name": f"Copy {len(folders)}", "item": chunk})
    doc = dict(features, item=folders)
    path = directory / "big.postman_collection.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    shutil.copytree(COLLECTIONS / "files", directory / "files")
    return path


def ours(path: Path, warmups: int, repeats: int) -> tuple[dict[str, float], dict[str, float]]:
    """Median snippets/s per target in this process: load + resolve + render of every request; render alone.

    Each run reads, validates and models the file again and resolves every request again, as a fresh
    ``postman-gen generate`` of that target would; the templates are compiled once per process.
    """
    import postman_gen
    from postman_gen.render.engine import renderer
    from postman_gen.render.gcpause import paused
    from postman_gen.resolution.resolver import ResolveOptions, Values

    environment = postman_gen.load_variables(COLLECTIONS / "local.postman_environment.json")
    rates, render_only = {}, {}
    for target, _language, _variant in TARGETS:
        renderer(target)  # templates compiled once per process, as in a real run
        totals, renders = [], []
        for run in range(warmups + repeats):
            start = time.perf_counter()
            with paused():  # as generate and render do (render/gcpause.py)
                collection = postman_gen.load(path)
                make = renderer(target, base_dir=collection.base_dir)
                requests = postman_gen.resolve_all(
                    collection, (), Values(environment=environment), ResolveOptions(seed=1)
                )
                middle = time.perf_counter()
                for request in requests:
                    make(request)
            end = time.perf_counter()
            if run >= warmups:
                totals.append(len(requests) / (end - start))
                renders.append(len(requests) / (end - middle))
        rates[target] = statistics.median(totals)
        render_only[target] = statistics.median(renders)
    return rates, render_only


def ours_generate_style(path: Path, warmups: int, repeats: int) -> tuple[float, float]:
    """Median snippets/s of one run rendering both targets: each request loaded and resolved once; per
    second of wall time and per second of this process's CPU time (steadier on a shared machine).

    What ``postman-gen generate -t python-requests -t curl`` does: read, validate and model the file,
    resolve every request, then render every request for each target; 2 snippets per request.
    """
    import postman_gen
    from postman_gen.render.engine import renderer
    from postman_gen.render.gcpause import paused
    from postman_gen.resolution.resolver import ResolveOptions, Values

    environment = postman_gen.load_variables(COLLECTIONS / "local.postman_environment.json")
    targets = [target for target, _language, _variant in TARGETS]
    rates, cpu_rates = [], []
    for run in range(warmups + repeats):
        start, cpu = time.perf_counter(), time.process_time()
        with paused():  # as generate does (render/gcpause.py)
            collection = postman_gen.load(path)
            makers = [renderer(target, base_dir=collection.base_dir) for target in targets]
            requests = postman_gen.resolve_all(
                collection, (), Values(environment=environment), ResolveOptions(seed=1)
            )
            for make in makers:
                for request in requests:
                    make(request)
        end, cpu_end = time.perf_counter(), time.process_time()
        if run >= warmups:
            rates.append(len(targets) * len(requests) / (end - start))
            cpu_rates.append(len(targets) * len(requests) / (cpu_end - cpu))
    return statistics.median(rates), statistics.median(cpu_rates)


def wall(command: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Best and median wall time of ``runs`` fresh processes (after one untimed run that warms the caches)."""
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def installed_env(tmp: Path) -> dict[str, str]:
    """The environment of a process that runs like an installed package: bytecode cached (in ``tmp``).

    pip writes ``.pyc`` files on install; a checkout run under ``PYTHONDONTWRITEBYTECODE`` would instead
    compile every module at every start.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    return env


def pcg_installed() -> bool:
    if (NODE_PREFIX / "node_modules" / "postman-code-generators").is_dir():
        return True
    if not (shutil.which("node") and shutil.which("npm")):
        return False
    NODE_PREFIX.mkdir(parents=True, exist_ok=True)
    command = ["npm", "install", "--prefix", str(NODE_PREFIX), "--no-audit", "--no-fund"]
    result = subprocess.run([*command, "postman-code-generators", "postman-collection"], capture_output=True)
    return result.returncode == 0


def harmonic(rates: dict[str, float]) -> float:
    """Snippets/s for rendering every request once per target: the harmonic mean of the per-target rates."""
    return len(rates) / sum(1 / r for r in rates.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warmups", type=int, default=2, help="untimed runs per target before measuring")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per target (the median is shown)")
    parser.add_argument("--runs", type=int, default=10, help="fresh processes timed for the one-item render")
    parser.add_argument("--no-pcg", action="store_true")
    args = parser.parse_args()
    runs = f"median of {args.repeats} runs after {args.warmups} warm-up"
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        big = big_collection(Path(tmp), args.requests)
        rates, render_only = ours(big, args.warmups, args.repeats)
        for target, rate in rates.items():
            print(
                f"postman-gen {target:<16} {rate:9.0f} snippets/s  "
                f"({args.requests} requests, load+resolve; {runs})"
            )
            print(f"postman-gen {target:<16} {render_only[target]:9.0f} snippets/s  (rendering alone)")
        combined = harmonic(rates)
        print(f"postman-gen python-requests+curl {combined:9.0f} snippets/s (both targets, harmonic mean)")
        both, both_cpu = ours_generate_style(big, args.warmups, args.repeats)
        print(
            f"postman-gen generate-style         {both:9.0f} snippets/s "
            f"(load+resolve once, both targets rendered: 2 x {args.requests} snippets; {runs})"
        )
        print(f"postman-gen generate-style         {both_cpu:9.0f} snippets per CPU second")
        command = [sys.executable, "-m", "postman_gen", "render", str(AUTH0), "-t", "curl", "--vars", "keep"]
        one, one_median = wall(command, args.runs, installed_env(Path(tmp)))
        print(
            f"postman-gen render of the Auth0 item: {one * 1000:.0f} ms wall "
            f"(best of {args.runs}; median {one_median * 1000:.0f} ms; bytecode cached as when installed)"
        )
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            cold, cold_median = wall(command, args.runs)
            print(
                f"postman-gen render of the Auth0 item: {cold * 1000:.0f} ms wall "
                f"(best of {args.runs}; median {cold_median * 1000:.0f} ms; "
                "PYTHONDONTWRITEBYTECODE as set here)"
            )
        if args.no_pcg or not pcg_installed():
            print("postman-code-generators: not measured (node/npm missing or --no-pcg)")
            return
        script = Path(tmp) / "pcg.js"
        script.write_text(PCG_SCRIPT, encoding="utf-8")
        out = subprocess.run(
            [
                "node",
                str(script),
                str(NODE_PREFIX),
                "collection",
                str(big),
                str(args.warmups),
                str(args.repeats),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        found = json.loads(out.stdout)
        pcg = {"python-requests": found["python"], "curl": found["curl"]}
        for target, rate in pcg.items():
            print(
                f"PCG         {target:<16} {rate:9.0f} snippets/s  "
                f"(SDK load included, no node start-up; {runs})"
            )
        pcg_combined = harmonic(pcg)
        print(
            f"PCG         python-requests+curl {pcg_combined:9.0f} snippets/s (both targets, harmonic mean)"
        )
        print(
            f"PCG         generate-style         {found['both']:9.0f} snippets/s "
            f"(SDK load once, both targets converted: 2 x {args.requests} snippets; {runs})"
        )
        print(f"PCG         generate-style         {found['both_cpu']:9.0f} snippets per CPU second")
        one_pcg, one_pcg_median = wall(["node", str(script), str(NODE_PREFIX), "item", str(AUTH0)], args.runs)
        print(
            f"PCG one-shot node run of the Auth0 item: {one_pcg * 1000:.0f} ms wall "
            f"(best of {args.runs}; median {one_pcg_median * 1000:.0f} ms)"
        )
        print(
            f"ratio: {combined / pcg_combined:.2f}x PCG's rate (goal 2x; generate-style "
            f"{both / found['both']:.2f}x, per CPU second {both_cpu / found['both_cpu']:.2f}x; goal >= 1x); "
            f"one-item render {one_pcg / one:.2f}x faster than PCG's one-shot run (goal >1x)"
        )


if __name__ == "__main__":
    main()
