"""``postman-gen verify``: a target's code run against the local echo server and compared with ``run``.

Run for real (``python -m postman_gen verify`` in a subprocess) on a user's own template folder: a small
honest target is exact or declares its differences (exit 0); a target that drops headers is caught (exit
1); a target without a way to run it is a usage error (exit 2).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import COLLECTIONS

pytestmark = pytest.mark.slow  # every test here runs postman-gen verify, which runs generated code

FEATURES = COLLECTIONS / "features.postman_collection.json"
ENVIRONMENT = COLLECTIONS / "local.postman_environment.json"

MANIFEST = {
    "name": "python-minimal",
    "language": "python",
    "extension": "py",
    "comment": "#",
    "description": "Python's http.client in a dozen lines: raw and urlencoded bodies only",
    "run": [sys.executable, "{file}"],
    "requires": [],
    "unsupported_auth": ["digest", "oauth1", "awsv4", "hawk", "ntlm", "edgegrid"],
}
# The worked example of docs/templates.md ("Adding a target").
TEMPLATE = """\
{% set kind = req.body.kind %}
{% set extra_notes = [] %}
{% if kind in ("formdata", "file") %}
{% set extra_notes = ["not sent exactly: python-minimal sends no " ~ kind ~ " body"] %}
{% endif %}
{% include "_common/header.jinja" %}
import http.client
from urllib.parse import urlsplit

url = urlsplit({{ req.url | py_str }})
connection = http.client.HTTPConnection(url.netloc)
target = (url.path or "/") + ("?" + url.query if url.query else "")
connection.putrequest({{ req.method | py_str }}, target, skip_accept_encoding=True)
{% for h in req.headers %}
connection.putheader({{ h.name | py_str }}, {{ h.value | py_str }}.encode())
{% endfor %}
{% if kind == "raw" %}
body = {{ req.body.text | py_str }}.encode()
{% elif kind == "urlencoded" %}
body = {{ req.body.encoded | py_str }}.encode()
{% else %}
body = b""
{% endif %}
connection.putheader("Content-Length", str(len(body)))
connection.endheaders(body)
print(connection.getresponse().status)
"""


def _user_target(root: Path, name: str, template: str, **manifest: object) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "target.json").write_text(json.dumps({**MANIFEST, "name": name, **manifest}), encoding="utf-8")
    (folder / "request.jinja").write_text(template, encoding="utf-8")
    return root


def _verify(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    command = [sys.executable, "-m", "postman_gen", "verify", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, check=False)


def _results(stdout: str) -> dict[str, str]:
    """item -> result word, from the table."""
    out = {}
    for line in stdout.splitlines()[1:-1]:
        item, _, rest = line.rpartition("  ")
        out[item.strip()] = rest.split(":", 1)[0]
    return out


def test_verify_a_user_template_exact_or_declared(tmp_path: Path) -> None:
    root = _user_target(tmp_path / "templates", "python-minimal", TEMPLATE)
    done = _verify("-t", "python-minimal", "--templates", str(root), str(FEATURES), "-e", str(ENVIRONMENT))
    assert done.returncode == 0, done.stdout + done.stderr
    results = _results(done.stdout)
    assert results["Bodies / Raw JSON"] == "exact"
    assert results["Headers / Duplicate and disabled headers"] == "exact"
    assert results["Bodies / Multipart with files"] == "declared"
    assert results["Auth / Digest (computed when sent)"] == "declared"
    assert set(results.values()) == {"exact", "declared"}
    assert done.stdout.splitlines()[-1].startswith("21 exact, 8 declared, 0 differs, 0 failed")


def test_verify_catches_an_undeclared_difference(tmp_path: Path) -> None:
    dropped = TEMPLATE.replace("{% for h in req.headers %}", "{% for h in req.headers[1:] %}")
    root = _user_target(tmp_path / "templates", "python-dropping", dropped)
    done = _verify(
        "-t",
        "python-dropping",
        "--templates",
        str(root),
        str(FEATURES),
        "-e",
        str(ENVIRONMENT),
        "-i",
        "Bearer",
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Auth / Bearer" in done.stdout and "differs: header Authorization" in done.stdout


def test_verify_reports_code_that_fails(tmp_path: Path) -> None:
    root = _user_target(tmp_path / "templates", "python-crashing", "raise SystemExit(3)\n")
    done = _verify("-t", "python-crashing", "--templates", str(root), str(FEATURES), "-i", "Raw JSON")
    assert done.returncode == 1
    assert "failed: exit 3" in done.stdout


def test_verify_needs_a_run_command(tmp_path: Path) -> None:
    root = _user_target(tmp_path / "templates", "no-runner", TEMPLATE, run=[])
    done = _verify("-t", "no-runner", "--templates", str(root), str(FEATURES), "-i", "Raw JSON")
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("postman-gen: ") and '"run"' in last


def test_verify_a_builtin_target() -> None:
    done = _verify("-t", "python-http.client", str(FEATURES), "-e", str(ENVIRONMENT), "-i", "Bodies")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Bodies / Multipart with files" in done.stdout and "differs" not in done.stdout.splitlines()[1]


# The same target, reading variables from the environment in --vars env (``py`` writes os.environ[...]).
ENV_TEMPLATE = (
    TEMPLATE.replace(
        "import http.client", "{% for m in imports %}\nimport {{ m }}\n{% endfor %}\nimport http.client"
    )
    .replace("import urlsplit", "import quote, urlsplit")
    .replace("{{ req.url | py_str }}", "{{ req.url | py }}")
    .replace("{{ h.value | py_str }}.encode()", "({{ h.value | py }}).encode()")
    .replace("{{ req.body.text | py_str }}.encode()", "({{ req.body.text | py }}).encode()")
    .replace(
        "{{ req.body.encoded | py_str }}.encode()",
        "({{ req.body.encoded | py_form | join(' + ') }}).encode()",
    )
)


def test_verify_env_mode_runs_the_code_with_the_values_run_substitutes(tmp_path: Path) -> None:
    root = _user_target(tmp_path / "templates", "python-minimal", ENV_TEMPLATE)
    args = ("-t", "python-minimal", "--templates", str(root), str(FEATURES), "-e", str(ENVIRONMENT))
    done = _verify(*args, "--vars", "env", "-i", "Bodies", "-i", "Auth/Bearer", "-i", "URLs/Path variables")
    assert done.returncode == 0, done.stdout + done.stderr
    results = _results(done.stdout)
    assert results["Auth / Bearer"] == results["URLs / Path variables"] == "exact"
    assert results["Bodies / Urlencoded with disabled field"] == "exact"


def test_verify_env_mode_catches_code_that_ignores_the_environment(tmp_path: Path) -> None:
    """A template writing values with py_str writes the placeholders themselves: it sends something else."""
    root = _user_target(tmp_path / "templates", "python-minimal", TEMPLATE)
    args = ("-t", "python-minimal", "--templates", str(root), str(FEATURES), "-e", str(ENVIRONMENT))
    done = _verify(*args, "--vars", "env", "-i", "Auth/Bearer")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Auth / Bearer" in done.stdout and "differs: " in done.stdout
