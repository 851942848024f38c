"""What ``show`` and ``run`` would refuse, found without sending or printing anything (``validate``).

A document can follow the schema and still hold requests that cannot go on the wire: a header value with
CR/LF, a method or header name that is not an HTTP token, variables that refer to each other in a cycle.
Resolving every item with the collection's own variables finds each of them with its JSON location.
"""

from __future__ import annotations

from postman_gen.collection.model import Collection
from postman_gen.errors import Diagnostic, Level, PostmanGenError
from postman_gen.resolution.dynamic import DynamicValues
from postman_gen.resolution.resolver import ResolveOptions, resolve


def unsendable(collection: Collection) -> list[Diagnostic]:
    """One ERROR per item that cannot be resolved; unresolved variables are not errors here (no -e)."""
    options = ResolveOptions(seed=0)
    dynamic = DynamicValues(seed=0)
    problems = []
    for folders, item in collection.walk():
        try:
            resolve(collection, folders, item, None, options, dynamic=dynamic)
        except PostmanGenError as exc:
            problems.append(Diagnostic(Level.ERROR, exc.message, exc.file or collection.file, exc.where))
    return problems
