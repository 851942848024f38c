"""The layering the design promises, held by reading imports."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "postman_gen"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def test_only_replay_imports_requests() -> None:
    offenders = [
        _rel(p) for p in _modules() if "requests" in _imports(p) and not _rel(p).startswith("replay/")
    ]
    assert offenders == []


def test_only_loadtest_imports_locust() -> None:
    """Importing Locust monkey-patches the whole process (gevent): only the load engine may."""
    offenders = [
        _rel(p)
        for p in _modules()
        if {"locust", "gevent"} & _imports(p) and not _rel(p).startswith("loadtest/")
    ]
    assert offenders == []


def test_only_render_imports_jinja2() -> None:
    offenders = [_rel(p) for p in _modules() if "jinja2" in _imports(p) and not _rel(p).startswith("render/")]
    assert offenders == []


def test_collection_and_resolution_import_neither() -> None:
    """Reading and resolving know nothing of HTTP clients, templates or the command line."""
    offenders = [
        _rel(p)
        for p in _modules()
        if _rel(p).startswith(("collection/", "resolution/", "views/"))
        and {"requests", "jinja2", "click"} & _imports(p)
    ]
    assert offenders == []


def _package_imports(path: Path) -> set[str]:
    """The postman_gen subpackages (or top-level modules) a module imports, at any depth of the file."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("postman_gen."):
            names.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[1] for a in node.names if a.name.startswith("postman_gen."))
    return names


# Which layers each layer may import: the data flow collection -> resolution -> views/render/replay ->
# reports, driven by cli. ``errors`` is everyone's; ``atomic`` (the one file writer) is for those that write.
# replay produces the run's outcome (replay/outcome.py) and reports only consume it: replay never imports
# reports.
ALLOWED = {
    "collection": {"collection", "resolution", "errors"},
    "resolution": {"collection", "resolution", "errors"},
    "views": {"collection", "resolution", "views", "errors"},
    "render": {"collection", "resolution", "views", "render", "atomic", "errors"},
    # runner_hooks binds the script engine to a run, so it sees replay's types.
    "scripts": {"collection", "resolution", "views", "scripts", "replay", "errors"},
    "replay": {"collection", "resolution", "views", "scripts", "replay", "atomic", "errors"},
    "reports": {"collection", "resolution", "views", "replay", "reports", "scripts", "atomic", "errors"},
    "devserver": {"devserver", "errors"},
    "atomic.py": {"errors"},
    # loadtest drives replay's runner from Locust's users; it sends through replay (never requests itself)
    "loadtest": {"collection", "resolution", "views", "scripts", "replay", "loadtest", "atomic", "errors"},
    # verify runs generated code against the echo server and compares what arrived with the request
    "verify": {"collection", "resolution", "views", "render", "devserver", "verify", "errors"},
}


def test_layers_import_only_downstream() -> None:
    offenders = []
    for path in _modules():
        layer = _rel(path).split("/")[0]
        if layer not in ALLOWED:
            continue
        extra = _package_imports(path) - ALLOWED[layer]
        if extra:
            offenders.append(f"{_rel(path)} imports {sorted(extra)}")
    assert offenders == []


def test_only_cli_prints_or_exits() -> None:
    offenders = []
    for path in _modules():
        rel = _rel(path)
        if rel.startswith("cli/") or rel == "__main__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in {"print", "exit"}:
                    offenders.append(f"{rel}:{node.lineno}")
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr == "exit"
                    and getattr(func.value, "id", "") == "sys"
                ):
                    offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []


def test_no_bare_except() -> None:
    offenders = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and node.type is None:
                offenders.append(f"{_rel(path)}:{node.lineno}")
    assert offenders == []


def test_bench_does_not_import_the_tests() -> None:
    """bench/ scripts run on their own: what they share with the tests lives in postman_gen or bench."""
    bench = PACKAGE.parent / "bench"
    offenders = [p.name for p in sorted(bench.glob("*.py")) if "tests" in _imports(p)]
    assert offenders == []


_STARTS_A_PROCESS = re.compile(r"\bsubprocess\b|\bsys\.executable\b|\bPopen\b")


def test_tests_that_start_processes_are_marked_slow() -> None:
    """``pytest -m "not slow"`` stays quick: a test that starts a process (or calls a helper of its module
    that does) carries ``@pytest.mark.slow``, or its module sets ``pytestmark = pytest.mark.slow``."""
    offenders = []
    for path in sorted((PACKAGE.parent / "tests").glob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        if re.search(r"^pytestmark = pytest\.mark\.slow", source, re.MULTILINE):
            continue
        functions = [n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
        texts = {f.name: ast.get_source_segment(source, f) or "" for f in functions}
        helpers = {
            n for n, text in texts.items() if not n.startswith("test_") and _STARTS_A_PROCESS.search(text)
        }
        for f in functions:
            if not f.name.startswith("test_") or "pytest.mark.slow" in map(ast.unparse, f.decorator_list):
                continue
            body = texts[f.name]
            if _STARTS_A_PROCESS.search(body) or any(re.search(rf"\b{h}\(", body) for h in helpers):
                offenders.append(f"{path.name}::{f.name}")
    assert offenders == [], "mark these @pytest.mark.slow: " + ", ".join(offenders)
