"""``-i`` selectors: names, folder paths, ids, ``#position``, JSON locations, and helpful errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import postman_gen
from postman_gen.collection.model import Collection
from postman_gen.collection.selection import select
from postman_gen.errors import UsageError


def _get(name: str) -> dict[str, object]:
    return {"name": name, "request": {"method": "GET", "url": f"http://h/{len(name)}"}}


@pytest.fixture
def twins(tmp_path: Path) -> Collection:
    """Two folders with the same name holding items with the same names: paths cannot tell them apart."""
    doc = {
        "info": {
            "name": "t",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [
            _get("Create booking"),
            {"name": "Flows", "item": [_get("Get booking"), _get("Cancel booking")]},
            {"name": "Flows", "item": [_get("Get booking"), _get("Cancel booking")]},
        ],
    }
    file = tmp_path / "c.json"
    file.write_text(json.dumps(doc))
    return postman_gen.load(file)


def _located(collection: Collection, selector: str) -> list[tuple[str, ...]]:
    return [s.path for s in select(collection, [selector])]


def test_position_and_location_reach_items_with_identical_paths(twins: Collection) -> None:
    everything = select(twins)
    assert [s.item for s in select(twins, ["#4"])] == [everything[3].item]
    assert [s.item for s in select(twins, ["item[2].item[0]"])] == [everything[3].item]
    assert [s.item for s in select(twins, ["item[2]"])] == [everything[3].item, everything[4].item]
    assert _located(twins, "#1") == [("Create booking",)]


def test_ambiguous_names_list_positions_and_locations(twins: Collection) -> None:
    with pytest.raises(UsageError) as exc:
        select(twins, ["Flows/Get booking"])
    assert exc.value.message == (
        "'Flows/Get booking' is ambiguous, it matches: Flows/Get booking (#2, item[1].item[0]); "
        "Flows/Get booking (#4, item[2].item[0]) (give the folder path, the #position or the location)"
    )


def test_unknown_names_get_close_suggestions_not_the_first_items(twins: Collection) -> None:
    with pytest.raises(UsageError) as exc:
        select(twins, ["Cancel bookng"])
    assert exc.value.message.startswith("no item or folder named 'Cancel bookng'; did you mean: ")
    assert "Flows/Cancel booking" in exc.value.message and "Create booking?" not in exc.value.message[:60]
    with pytest.raises(UsageError) as exc:
        select(twins, ["zzzz"])
    assert exc.value.message == "no item or folder named 'zzzz' (5 requests; `postman-gen list` shows them)"
    with pytest.raises(UsageError) as exc:
        select(twins, ["#6"])
    assert exc.value.message == "no request at '#6': the collection has 5 (#1 to #5)"
    with pytest.raises(UsageError):
        select(twins, ["item[9]"])
