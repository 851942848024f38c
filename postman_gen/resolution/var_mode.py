"""``VarMode`` alone: the command line names its values without importing the request model."""

from __future__ import annotations

from enum import Enum


class VarMode(str, Enum):
    """How variables end up in the result (code generation's ``--vars``)."""

    INLINE = "inline"  # substituted with their values
    KEEP = "keep"  # kept as written ({{name}}, :id)
    ENV = "env"  # looked up from the environment when the generated code runs
