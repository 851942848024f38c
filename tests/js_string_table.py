"""The table of JavaScript's own answers that tests/test_value_text.py checks ``value_text`` against.

Each row is ``[json, String(v), String(Number(v)), String(Boolean(v))]`` for ``v = JSON.parse(json)``, as
node computes them: the text a variable holding ``v`` is substituted by, untyped and typed ``number`` or
``boolean``. The committed table (tests/inputs/js_string_table.json) is made by running this file with
node installed; a slow test re-asks node and fails if the committed answers differ.

    python3 -m tests.js_string_table   # rewrite tests/inputs/js_string_table.json
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "inputs" / "js_string_table.json"

_NODE_PROGRAM = """
const inputs = JSON.parse(require("fs").readFileSync(0, "utf8"));
const rows = inputs.map((text) => {
  const v = JSON.parse(text);
  return [text, String(v), String(Number(v)), String(Boolean(v))];
});
process.stdout.write(JSON.stringify(rows));
"""

_FIXED = [
    "100.0",
    "1e-7",
    "1e-07",
    "1e21",
    "1e+21",
    "1e20",
    "123e18",
    "0.1",
    "0.30000000000000004",
    "-0.0",
    "0",
    "-0",
    "5e-324",
    "1.7976931348623157e308",
    "1e400",
    "-1e400",
    "0.000001",
    "0.0000001",
    "1.5",
    "2.0",
    "12345678901234567890",
    "9007199254740993",
    "-42",
    "3.14159",
    "1e-6",
    "1.234e-6",
    "123456789012345680000",
    "null",
    "true",
    "false",
    '""',
    '"a"',
    '"100.0"',
    '" 12 "',
    '"0x1F"',
    '"-0x1F"',
    '"0b101"',
    '"0o17"',
    '"1e3"',
    '".5"',
    '"5."',
    '"Infinity"',
    '"-Infinity"',
    '"infinity"',
    '"1_000"',
    '"\\u0661\\u0662"',
    '"\\u00a0 7 \\n"',
    '"abc"',
    '"false"',
    '"0"',
    '"null"',
    '"+5"',
    '"--5"',
    '"1e"',
    '"e5"',
    "[]",
    "[5]",
    '[" 7 "]',
    "[1,2]",
    '[1,"b",null,[2,3],{"a":1},true]',
    "[null]",
    "[[]]",
    "[[null],[1,[2]]]",
    "[1.0,1e-7,1e21]",
    "{}",
    '{"a":1}',
    "[{}]",
    "[false,0,-0.0]",
]


def inputs() -> list[str]:
    """The JSON texts of the table: hand-picked edge cases, then seeded random doubles and integers."""
    rng = random.Random(20261207)
    out = list(_FIXED)
    for _ in range(400):
        bits = rng.getrandbits(64)
        value = rng.choice([rng.uniform(-1e6, 1e6), rng.random() * 10 ** rng.randint(-30, 30)])
        if bits % 7 == 0:
            value = float(rng.randint(-(2**60), 2**60))
        out.append(repr(value) if value == value and abs(value) != float("inf") else "0")
    for _ in range(100):
        out.append(str(rng.randint(-(10**25), 10**25)))
    return out


def node_rows(texts: list[str]) -> list[list[str]]:
    """node's answers for ``texts`` (node must be installed)."""
    done = subprocess.run(
        [shutil.which("node") or "node", "-e", _NODE_PROGRAM],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def committed_rows() -> list[list[str]]:
    return json.loads(TABLE.read_text(encoding="utf-8"))


if __name__ == "__main__":
    TABLE.write_text(json.dumps(node_rows(inputs()), indent=0, ensure_ascii=True) + "\n", encoding="utf-8")
    print(f"wrote {TABLE}")
