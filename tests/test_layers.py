"""The layering the design promises, held by reading imports."""

from __future__ import annotations

import ast
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


def test_only_render_imports_jinja2() -> None:
    offenders = [_rel(p) for p in _modules() if "jinja2" in _imports(p) and not _rel(p).startswith("render/")]
    assert offenders == []


def test_model_and_resolve_import_neither() -> None:
    for name in (
        "model.py",
        "resolution.py",
        "selection.py",
        "variables.py",
        "request.py",
        "urls.py",
        "dynamic.py",
        "placeholders.py",
    ):
        path = PACKAGE / name
        if path.exists():
            assert not {"requests", "jinja2", "click"} & _imports(path), name


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
