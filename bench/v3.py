"""Postman v3 speed: load + validate a large YAML tree, the v2 -> v3 conversion, and the v2 load beside it.

The tree is the corpus's Sabre collection (or ``--collection FILE``) converted to v3 in a temporary folder
(``convert``'s own code), so it has the collection's real shape: over 1,000 request files in folders, with
definitions, auth, bodies. Prints the median of ``--repeats`` timed runs after one warm-up of each:

- convert: v2 JSON load + the v3 files built + written;
- v3 load: the tree walked, every YAML file parsed (libyaml when PyYAML has it) and checked, the model built
  (``postman_gen.load(folder)``: what every command does first);
- v2 load of the same collection (JSON + schema check + model), for the ratio;
- resolve of every request from the v3 model.

Goal of issue 9: the v3 load + validate of a >= 1,000-request tree under 1 s. Not a test: machine speed
varies; the figures are printed, never asserted.

Usage: python3 bench/v3.py [--collection FILE] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT = ROOT.parent / "shared" / "corpus" / "sabre-booking-management.postman_collection.json"


def timed(func: Callable[[], object], repeats: int) -> float:
    func()  # warm-up: imports, caches
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--collection", type=Path, default=DEFAULT)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if not args.collection.is_file():
        sys.exit(f"no collection at {args.collection} (pass --collection FILE)")

    import postman_gen
    from postman_gen.atomic import write_tree
    from postman_gen.collection.v3.convert import to_v3
    from postman_gen.collection.v3.yaml_load import _Loader

    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "tree"

        def convert() -> None:
            write_tree(tree, to_v3(postman_gen.load(args.collection)).files, replace=True)

        t_convert = timed(convert, args.repeats)
        collection = postman_gen.load(tree)
        requests = sum(1 for _ in collection.walk())
        files = sum(1 for p in tree.rglob("*.yaml"))
        t_v3 = timed(lambda: postman_gen.load(tree), args.repeats)
        t_v2 = timed(lambda: postman_gen.load(args.collection), args.repeats)
        t_resolve = timed(lambda: postman_gen.resolve_all(collection), args.repeats)

    print(f"collection: {args.collection.name}: {requests} requests, {files} YAML files as v3")
    kind = "libyaml" if _Loader.__name__.startswith("C") else "pure Python"
    print(f"YAML parser: {_Loader.__name__} ({kind})")
    print(f"convert v2 -> v3 (load, build, write): {t_convert * 1000:8.1f} ms")
    print(f"v3 load + validate:                    {t_v3 * 1000:8.1f} ms  (goal < 1000 ms)")
    print(f"v2 load + validate (same collection):  {t_v2 * 1000:8.1f} ms  (v3 / v2 = {t_v3 / t_v2:.1f}x)")
    print(f"resolve every request (v3 model):      {t_resolve * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
