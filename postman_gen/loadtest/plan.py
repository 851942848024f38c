"""What every virtual user of a load test runs, read once per process from a ``RunConfig``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from postman_gen.collection.model import Collection
from postman_gen.collection.selection import Selected, select
from postman_gen.errors import UsageError
from postman_gen.replay.config import RunConfig
from postman_gen.replay.runner import data_rows
from postman_gen.replay.session import load_collection, load_values, open_transport, script_hooks
from postman_gen.resolution.resolver import Values


@dataclass(frozen=True)
class LoadPlan:
    """The collection, the selected items, the starting values and the iteration data rows.

    Every user starts from ``values`` and keeps what its own scripts set from one iteration to the next, as
    one Newman run does; ``rows`` are handed out round-robin, one per iteration, across the users of a
    process.
    """

    collection: Collection
    selected: tuple[Selected, ...]
    values: Values
    config: RunConfig
    rows: tuple[Mapping[str, Any], ...]


def make_plan(config: RunConfig) -> LoadPlan:
    """Read and check everything a user needs, before Locust starts: bad input fails here (exit 2).

    Raises ``UsageError`` when nothing is selected, when the selection has scripts and the script engine is
    not installed, and ``InputError`` for unreadable files or certificates.
    """
    collection = load_collection(config)
    values = load_values(config)
    selected = tuple(select(collection, config.items))
    if not selected:
        where = collection.file or collection.name
        raise UsageError(f"load: no requests selected in {where}: nothing for the users to send")
    rows = data_rows(config)
    # Reports are Locust's: a record keeps no body (the scripts still see the whole response).
    config = replace(
        config,
        collection=collection,
        iteration_data=None,  # the rows are the plan's, handed out round-robin
        reports=replace(config.reports, reporters=(), json=None, junit=None, html=None, body_limit=0),
    )
    transport = open_transport(config, None)  # an unusable certificate fails now, not in every user
    try:
        script_hooks(collection, selected, values, config, transport)  # no script engine: fails now
    finally:
        transport.close()
    return LoadPlan(collection, selected, values, config, rows)
