"""Code generation: Jinja environment, templates and the escaping filters they use."""

from __future__ import annotations

from pathlib import Path


def builtin_templates() -> Path:
    """The built-in targets: package data in a wheel, the top-level ``templates/`` in a checkout."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "templates"
    return inside if inside.is_dir() else package.parent / "templates"
