"""Targets go-native, ruby-net-http, php-curl, php-guzzle, java-httpclient, c-libcurl, csharp-httpclient.

Execution fidelity is ``test_fidelity.py``'s job; here the generated code of every item of ``collections/``,
the tricky collection and the awkward items of ``test_targets_extra`` passes the language's own checkers
(gofmt and go vet, ruby -wc, php -l, javac -Xlint, gcc -Wall -Wextra, mcs -warn:4), and env mode stops
loudly when a variable is missing. A runtime that is absent skips outside CI and fails in CI.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

import postman_gen
from postman_gen.render.engine import get_target, render
from postman_gen.render.filters import ident
from postman_gen.resolution.request import VarMode
from tests.conftest import COLLECTIONS, ROOT
from tests.runtimes import need, runtime_setup
from tests.test_targets_extra import awkward_collection, resolved

TRICKY = ROOT / "tests" / "inputs" / "tricky.postman_collection.json"


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, **kwargs)  # type: ignore[call-overload]


def outputs(target: str, out: Path) -> list[Path]:
    """The target's code for every item of the collections, the tricky and the awkward one, in every mode."""
    extension = get_target(target).extension
    awkward = awkward_collection(out)
    sources = [p for p in sorted(COLLECTIONS.glob("*.postman_*.json")) if "environment" not in p.name]
    files = []
    for path in [*sources, TRICKY, awkward]:
        for mode in VarMode:
            for request in resolved(path, mode):
                try:
                    text = render(request, target, base_dir=str(path.parent))
                except postman_gen.PostmanGenError:
                    continue
                stem = f"{mode.value}_{ident(path.name.split('.')[0])}_{ident('_'.join(request.path))}"
                folder = out / stem
                folder.mkdir()
                file = folder / f"main.{extension}"
                file.write_text(text, encoding="utf-8")
                files.append(file)
    return files


# --------------------------------------------------------------------------- go-native


@pytest.mark.slow
def test_go_output_is_gofmt_clean(tmp_path: Path) -> None:
    """gofmt leaves every file alone (the fidelity tests compile and run them)."""
    gofmt = need("gofmt")
    files = outputs("go-native", tmp_path)
    unformatted = _run([gofmt, "-l", *map(str, files)])
    assert unformatted.returncode == 0 and not unformatted.stdout, (
        unformatted.stdout + unformatted.stderr + _run([gofmt, "-d", *map(str, files)]).stdout[-4000:]
    )


# --------------------------------------------------------------------------- ruby-net-http


@pytest.mark.slow
def test_ruby_output_is_warning_free(tmp_path: Path) -> None:
    ruby = need("ruby")
    for file in outputs("ruby-net-http", tmp_path):
        check = _run([ruby, "-wc", str(file)])
        assert check.returncode == 0 and check.stdout == "Syntax OK\n" and not check.stderr, (
            f"{file}: {check.stdout}{check.stderr}"
        )


# --------------------------------------------------------------------------- php-curl, php-guzzle


@pytest.mark.slow
@pytest.mark.parametrize("target", ["php-curl", "php-guzzle"])
def test_php_output_passes_php_lint(target: str, tmp_path: Path) -> None:
    php = need("php")
    for file in outputs(target, tmp_path):
        check = _run([php, "-l", str(file)])
        assert check.returncode == 0 and not check.stderr, f"{file}: {check.stdout}{check.stderr}"


# ------------------------------------------------------------- c-libcurl, java-httpclient, csharp-httpclient


@pytest.mark.slow
def test_c_output_compiles_without_warnings(tmp_path: Path) -> None:
    gcc = need("gcc")
    need("curl-config")
    for file in outputs("c-libcurl", tmp_path):
        check = _run([gcc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", str(file)])
        assert check.returncode == 0, f"{file}: {check.stderr[-3000:]}"


# Compiles every file given after the output folder with javac -Xlint:all -Werror, in one JVM.
BATCH_JAVAC = """
import java.io.File;
import javax.tools.ToolProvider;

class BatchJavac {
    public static void main(String[] args) {
        var javac = ToolProvider.getSystemJavaCompiler();
        int failed = 0;
        for (int i = 1; i < args.length; i++) {
            String out = args[0] + File.separator + i;
            if (javac.run(null, null, null, "-Xlint:all", "-Werror", "-d", out, args[i]) != 0) {
                System.err.println("FAILED " + args[i]);
                failed++;
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
"""


@pytest.mark.slow
def test_java_output_compiles_without_lint_warnings(tmp_path: Path) -> None:
    java = need("java")
    files = outputs("java-httpclient", tmp_path)
    (tmp_path / "BatchJavac.java").write_text(BATCH_JAVAC, encoding="utf-8")
    env = dict(os.environ, LC_ALL="C", LANG="C")  # ASCII sources compile whatever the platform encoding
    check = _run(
        [java, str(tmp_path / "BatchJavac.java"), str(tmp_path / "classes"), *map(str, files)], env=env
    )
    assert check.returncode == 0, check.stderr[-4000:]


@pytest.mark.slow
def test_csharp_output_compiles_without_warnings(tmp_path: Path) -> None:
    mcs = need("mcs")
    for file in outputs("csharp-httpclient", tmp_path):
        out = str(file.with_suffix(".exe"))
        check = _run([mcs, "-warn:4", "-warnaserror+", "-r:System.Net.Http.dll", f"-out:{out}", str(file)])
        assert check.returncode == 0, f"{file}: {check.stdout[-3000:]}{check.stderr[-1000:]}"


# --------------------------------------------------------------------------- every target


LANGUAGE_TARGETS = (
    "go-native",
    "ruby-net-http",
    "php-curl",
    "php-guzzle",
    "java-httpclient",
    "c-libcurl",
    "csharp-httpclient",
)


@pytest.mark.slow
@pytest.mark.parametrize("target", LANGUAGE_TARGETS)
def test_env_mode_stops_when_a_variable_is_missing(target: str, tmp_path: Path) -> None:
    """A variable read at run time that is not set stops the program with its name, before any request."""
    spec = get_target(target)
    for tool in spec.requires:
        need(tool)
    auth0 = COLLECTIONS / "auth0-update-a-user.postman_item.json"
    (request,) = resolved(auth0, VarMode.ENV)
    file = tmp_path / f"main.{spec.extension}"
    file.write_text(render(request, target, base_dir=str(COLLECTIONS)), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("AUTH0_DOMAIN", "AUTH0_TOKEN", "ID")}
    env.update(runtime_setup(spec, None, tmp_path))
    result = _run(spec.command(str(file)), cwd=tmp_path, env=env)
    assert result.returncode != 0
    names = ("AUTH0_DOMAIN", "AUTH0_TOKEN", "ID")  # C leaves the order of evaluating arguments open
    assert any(re.search(rf"\b{name}\b", result.stderr) for name in names), result.stderr[-2000:]
