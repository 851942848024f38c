"""Exit statuses, written once (``ExitStatus``): an internal error is its own status with one line (the
traceback with --debug or POSTMAN_GEN_DEBUG=1), and a number no run can honour is a usage error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import postman_gen
from postman_gen.cli import main
from postman_gen.errors import ExitStatus

ROOT = Path(__file__).resolve().parent.parent
ITEM = str(ROOT / "collections" / "auth0-update-a-user.postman_item.json")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def _broken_load(*args: object, **kwargs: object) -> None:
    raise ZeroDivisionError("a bug of ours")


def test_an_internal_error_has_its_own_status_and_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("POSTMAN_GEN_DEBUG", raising=False)
    monkeypatch.setattr(postman_gen, "load", _broken_load)
    status, out, err = run_cli(capsys, "list", ITEM)
    assert status == ExitStatus.INTERNAL == 70
    assert err.count("\n") == 1 and "internal error (ZeroDivisionError: a bug of ours)" in err
    assert "--debug" in err and "Traceback" not in err


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_prints_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setattr(postman_gen, "load", _broken_load)
    if how == "env":
        monkeypatch.setenv("POSTMAN_GEN_DEBUG", "1")
        args = ["list", ITEM]
    else:
        monkeypatch.delenv("POSTMAN_GEN_DEBUG", raising=False)
        args = ["--debug", "list", ITEM]
    status, _, err = run_cli(capsys, *args)
    assert status == ExitStatus.INTERNAL
    assert "Traceback (most recent call last)" in err and "_broken_load" in err
    assert err.rstrip().splitlines()[-1].startswith("postman-gen: internal error (ZeroDivisionError")


@pytest.mark.parametrize(
    "option",
    [
        ("--timeout", "99999999999999999999"),
        ("--timeout-request", "99999999999999999999"),
        ("--delay-request", "99999999999999999999"),
        ("--timeout-script", "99999999999999999999"),
        ("--iteration-count", "99999999999999999999"),
        ("--max-jumps", "99999999999999999999"),
        ("--report-body-limit", "99999999999999999999"),
        ("--timeout", "-1"),
    ],
)
def test_absurd_numbers_are_usage_errors(capsys: pytest.CaptureFixture[str], option: tuple[str, str]) -> None:
    status, out, err = run_cli(capsys, "run", ITEM, "--var", "auth0_domain=127.0.0.1:9", *option)
    assert status == ExitStatus.USAGE, err
    assert err.startswith(f"postman-gen: {option[0]} takes a number") and err.count("\n") == 1
    assert out == ""


def test_the_readme_table_lists_every_exit_status() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Errors and exit statuses", 1)[1].split("\n## ", 1)[0]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.MULTILINE)}
    assert documented == {int(s) for s in ExitStatus}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ req.method }}\n{{ nope.x }}\n", "line 2: template error: 'nope' is undefined"),
        ("{{ req.method }}\n\n{% if %}\n", "line 3: template syntax error: "),
    ],
)
def test_a_user_template_error_names_the_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, source: str, message: str
) -> None:
    """A template of the user's (--templates) that fails is bad input (exit 2), not an internal error."""
    target = tmp_path / "mine"
    target.mkdir()
    spec = (ROOT / "templates" / "curl" / "target.json").read_text(encoding="utf-8")
    (target / "target.json").write_text(spec.replace('"name": "curl"', '"name": "mine"'), encoding="utf-8")
    (target / "request.jinja").write_text(source, encoding="utf-8")
    status, out, err = run_cli(
        capsys, "render", ITEM, "--templates", str(tmp_path), "-t", "mine", "--no-warnings"
    )
    assert (status, out) == (ExitStatus.USAGE, "")
    assert err.startswith(f"postman-gen: {target / 'request.jinja'}: {message}") and err.count("\n") == 1
