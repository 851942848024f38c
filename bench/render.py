"""Code generation speed: postman-gen against postman-code-generators (PCG), in one run.

Prints:
- snippets/s for python-requests and curl over a 2,000-request collection, load + resolve included
  (the collection is written to a temporary folder: the items of collections/features, repeated);
- the wall time of one ``postman-gen render`` of the Auth0 item (a fresh process, best of 5);
- where node and npm exist, the same two figures for PCG (installed on first use with
  ``npm install --prefix bench/.node postman-code-generators postman-collection``, gitignored): snippets/s
  measured inside one node process (start-up excluded), and a one-shot ``node`` run for the Auth0 item.

Usage: python3 bench/render.py [--requests N] [--no-pcg]
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
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
const path = require('path');
const prefix = process.argv[2];
const codegen = require(path.join(prefix, 'node_modules', 'postman-code-generators'));
const sdk = require(path.join(prefix, 'node_modules', 'postman-collection'));
const mode = process.argv[3];
const file = process.argv[4];
const doc = JSON.parse(require('fs').readFileSync(file, 'utf8'));
let requests = [];
function load() {
  requests = [];
  if (mode === 'item') {
    requests.push(new sdk.Item(doc).request);
  } else {
    new sdk.Collection(doc).forEachItem((item) => requests.push(item.request));
  }
}
const targets = [['python', 'requests'], ['curl', 'curl']];
function convertAll(language, variant) {
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
(async () => {
  if (mode === 'item') {
    load();
    await convertAll('curl', 'curl');
    return;
  }
  const out = {};
  for (const [language, variant] of targets) {
    const start = process.hrtime.bigint();
    load();  // the collection model is built inside the timing, like postman-gen's load + resolve
    await convertAll(language, variant);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    out[language] = requests.length / seconds;
  }
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


def ours(path: Path) -> tuple[dict[str, float], dict[str, float]]:
    """snippets/s per target: load + resolve + render of every request, and render alone, in this process."""
    import postman_gen
    from postman_gen.render.engine import renderer
    from postman_gen.resolution import ResolveOptions, Values

    environment = postman_gen.load_variables(COLLECTIONS / "local.postman_environment.json")
    rates, render_only = {}, {}
    for target, _language, _variant in TARGETS:
        renderer(target)  # templates compiled once per process, as in a real run
        start = time.perf_counter()
        collection = postman_gen.load(path)
        make = renderer(target, base_dir=collection.base_dir)
        requests = postman_gen.resolve_all(
            collection, (), Values(environment=environment), ResolveOptions(seed=1)
        )
        middle = time.perf_counter()
        for request in requests:
            make(request)
        end = time.perf_counter()
        rates[target] = len(requests) / (end - start)
        render_only[target] = len(requests) / (end - middle)
    return rates, render_only


def best_of(command: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return min(times)


def pcg_installed() -> bool:
    if (NODE_PREFIX / "node_modules" / "postman-code-generators").is_dir():
        return True
    if not (shutil.which("node") and shutil.which("npm")):
        return False
    NODE_PREFIX.mkdir(parents=True, exist_ok=True)
    command = ["npm", "install", "--prefix", str(NODE_PREFIX), "--no-audit", "--no-fund"]
    result = subprocess.run([*command, "postman-code-generators", "postman-collection"], capture_output=True)
    return result.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--no-pcg", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        big = big_collection(Path(tmp), args.requests)
        rates, render_only = ours(big)
        for target, rate in rates.items():
            print(
                f"postman-gen {target:<16} {rate:9.0f} snippets/s  ({args.requests} requests, load+resolve)"
            )
            print(f"postman-gen {target:<16} {render_only[target]:9.0f} snippets/s  (rendering alone)")
        combined = 2 / sum(1 / r for r in rates.values())
        print(f"postman-gen python-requests+curl {combined:9.0f} snippets/s (both targets, harmonic mean)")
        one = best_of(
            [sys.executable, "-m", "postman_gen", "render", str(AUTH0), "-t", "curl", "--vars", "keep"]
        )
        print(f"postman-gen render of the Auth0 item: {one * 1000:.0f} ms wall (best of 5)")
        if args.no_pcg or not pcg_installed():
            print("postman-code-generators: not measured (node/npm missing or --no-pcg)")
            return
        script = Path(tmp) / "pcg.js"
        script.write_text(PCG_SCRIPT, encoding="utf-8")
        out = subprocess.run(
            ["node", str(script), str(NODE_PREFIX), "collection", str(big)],
            check=True,
            capture_output=True,
            text=True,
        )
        pcg = json.loads(out.stdout)
        for (target, language, _variant), rate in zip(TARGETS, (pcg["python"], pcg["curl"]), strict=True):
            del language
            print(f"PCG         {target:<16} {rate:9.0f} snippets/s  (SDK load included, no node start-up)")
        pcg_combined = 2 / (1 / pcg["python"] + 1 / pcg["curl"])
        print(
            f"PCG         python-requests+curl {pcg_combined:9.0f} snippets/s (both targets, harmonic mean)"
        )
        one_pcg = best_of(["node", str(script), str(NODE_PREFIX), "item", str(AUTH0)])
        print(f"PCG one-shot node run of the Auth0 item: {one_pcg * 1000:.0f} ms wall (best of 5)")
        print(
            f"ratio: {combined / pcg_combined:.2f}x PCG's rate; one-item render {one_pcg / one:.2f}x faster"
        )


if __name__ == "__main__":
    main()
