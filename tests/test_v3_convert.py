"""``convert``: v2 JSON <-> v3 trees. The round trip v2 -> v3 -> v2 resolves to the same requests, in all
three ``--vars`` modes, for every corpus collection; names are normalised and made unique, deterministically.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import postman_gen
from postman_gen.collection.model import Collection
from postman_gen.collection.v3.convert import to_v2, to_v3
from postman_gen.collection.v3.names import Siblings, normalise
from postman_gen.collection.v3.write import dump
from postman_gen.collection.v3.yaml_load import load_text
from postman_gen.errors import PostmanGenError
from postman_gen.resolution.request import VarMode
from postman_gen.views.snapshot import request_to_dict
from tests.conftest import COLLECTIONS, CORPUS
from tests.test_v3 import cli, write_tree

CORPUS_FILES = sorted(CORPUS.glob("*.postman_collection.json")) if CORPUS.is_dir() else []
SHARED_V3 = Path(__file__).resolve().parent.parent.parent / "shared" / "v3" / "collections"
POKEMON = SHARED_V3 / "salesforce-misc__ReVoman__pokemon/src/integrationTest/resources/pm-templates"


def snapshots(collection: Collection, mode: VarMode) -> list[object]:
    """Each request as resolved, file paths relative to the collection, warnings without their place."""
    options = postman_gen.ResolveOptions(mode=mode, seed=11)
    out: list[object] = []
    from postman_gen.collection.selection import select
    from postman_gen.resolution.dynamic import DynamicValues
    from postman_gen.resolution.resolver import resolve

    dynamic = DynamicValues(seed=11, now=datetime(2026, 1, 2, 3, 4, 5))  # a pinned clock: no flake
    for chosen in select(collection):
        try:
            request = resolve(collection, chosen.folders, chosen.item, None, options, dynamic=dynamic)
        except PostmanGenError as exc:
            out.append(("error", exc.message))
            continue
        doc = request_to_dict(request, show_secrets=True)
        doc["warnings"] = [w.message for w in request.warnings]
        if doc["body"] and doc["body"].get("kind") == "raw" and doc["body"]["language"] in (None, "text"):
            doc["body"]["language"] = "text"  # v3 has one "text" type for both
        text = json.dumps(doc, ensure_ascii=False).replace(json.dumps(collection.base_dir)[1:-1], "<base>")
        out.append(json.loads(text))
    return out


def round_trip(source: Path, tmp_path: Path) -> tuple[Collection, Collection, Collection]:
    original = postman_gen.load(source)
    tree = write_tree(tmp_path / "tree", to_v3(original).files)
    as_v3 = postman_gen.load(tree)
    back = tmp_path / "back.postman_collection.json"
    back.write_text(to_v2(as_v3).files[""], encoding="utf-8")
    return original, as_v3, postman_gen.load(back)


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS_FILES, reason="corpus absent")
@pytest.mark.parametrize("file", CORPUS_FILES, ids=[f.name for f in CORPUS_FILES])
def test_corpus_round_trip_resolves_identically(file: Path, tmp_path: Path) -> None:
    try:
        original = postman_gen.load(file)
    except PostmanGenError:
        pytest.skip("does not load as v2 (covered by the loader's tests)")
    del original
    original, as_v3, back = round_trip(file, tmp_path)
    for mode in VarMode:
        expected = snapshots(original, mode)
        assert snapshots(as_v3, mode) == expected, mode
        assert snapshots(back, mode) == expected, mode


@pytest.mark.parametrize("file", sorted(COLLECTIONS.glob("*.postman_collection.json")), ids=lambda p: p.name)
def test_bundled_collections_round_trip(file: Path, tmp_path: Path) -> None:
    original, as_v3, back = round_trip(file, tmp_path)
    for mode in VarMode:
        expected = snapshots(original, mode)
        assert snapshots(as_v3, mode) == expected
        assert snapshots(back, mode) == expected


def test_names_are_normalised_and_unique() -> None:
    assert normalise('a/b\\c:d*e?f"g<h>i|j') == "a-b-c-d-e-f-g-h-i-j"
    assert normalise(".hidden") == "-hidden"
    assert normalise("trailing. ") == "trailing"
    assert normalise("") == "Untitled"
    assert len(normalise("x" * 300)) == 100
    names = Siblings()
    assert [names.unique(n) for n in ["Get user", "get user", "GET USER", "Get user 1"]] == [
        "Get user",
        "get user 1",
        "GET USER 2",
        "Get user 1 1",
    ]


def test_ground_truth_pair_matches_postman(tmp_path: Path) -> None:
    """Our conversion of the v2.1 JSON against Postman's own v3 output: same files, same order values,
    same map/list choices; the differences are listed in docs/v3.md (quoting style, ``description``)."""
    if not POKEMON.is_dir():
        pytest.skip("../shared/v3 absent")
    ours = to_v3(postman_gen.load(POKEMON / "v2" / "pokemon" / "pokemon.postman_collection.json")).files
    theirs_root = POKEMON / "v3" / "pokemon"
    theirs = {
        p.relative_to(theirs_root).as_posix(): p.read_text(encoding="utf-8")
        for p in theirs_root.rglob("*.yaml")
        if not p.name.endswith(".environment.yaml")
    }
    assert sorted(ours) == sorted(theirs)
    same_bytes = [rel for rel in ours if ours[rel] == theirs[rel]]
    assert sorted(set(ours) - set(same_bytes)) == ["all-pokemon/all-pokemon.request.yaml"]
    for rel in ours:
        mine, postman = load_text(ours[rel], rel), load_text(theirs[rel], rel)
        postman.pop("description", None)  # Postman's export carries a description the v2.1 JSON lacks
        if postman.get("name") == rel.rsplit("/", 1)[-1].removesuffix(".request.yaml"):
            postman.pop("name")  # Postman writes name: equal to the file name on some requests, we never
        assert mine == postman, rel


@pytest.mark.slow
def test_cli_convert_both_ways_with_environments(tmp_path: Path) -> None:
    tree = tmp_path / "postman" / "collections" / "Features"
    result = cli("convert", str(COLLECTIONS / "features.postman_collection.json"), "-o", str(tree))
    assert result.returncode == 0, result.stderr
    assert (tree / ".resources" / "definition.yaml").is_file()
    env = tmp_path / "postman" / "environments" / "local.environment.yaml"
    result = cli("convert", str(COLLECTIONS / "local.postman_environment.json"), "-o", str(env))
    assert result.returncode == 0, result.stderr
    back = tmp_path / "back.postman_collection.json"
    result = cli("convert", str(tree), "-o", str(back))
    assert result.returncode == 0, result.stderr
    assert json.loads(back.read_text(encoding="utf-8"))["info"]["name"] == "postman-gen features"
    env_back = tmp_path / "local.postman_environment.json"
    assert cli("convert", str(env), "-o", str(env_back)).returncode == 0
    assert postman_gen.load_variables(env_back) == postman_gen.load_variables(
        COLLECTIONS / "local.postman_environment.json"
    )
    again = cli("convert", str(COLLECTIONS / "features.postman_collection.json"), "-o", str(tree))
    assert again.returncode == 2 and "exists" in again.stderr
    forced = cli("convert", str(COLLECTIONS / "features.postman_collection.json"), "-o", str(tree), "--force")
    assert forced.returncode == 0, forced.stderr


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, TEXT)
@example("k", "\n\x85")  # NEL is a YAML line break: in a block literal it came back as "\n"
@example("k", "a\n\u2028b\u2029")
def test_written_strings_read_back_as_written(key: str, value: str) -> None:
    """Whatever the writer quotes (or not), the reader gets the string back: no YAML typing either way."""
    doc = load_text(dump({"v": value, "m": {key or "k": value}, "l": [value]}), "t.yaml")
    assert doc["v"] == value and doc["l"] == [value] and doc["m"] == {key or "k": value}


def _bodies(path: Path) -> list[object]:
    """Each request's body file and part files, as the absolute paths run reads."""
    out: list[object] = []
    for request in postman_gen.resolve_all(postman_gen.load(path)):
        body = request.body
        parts = getattr(body, "parts", ())
        out.append(getattr(body, "path", None) or [(p.name, p.file_path) for p in parts])
    return out


def test_convert_points_body_files_at_the_same_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A relative file body or form-data file part is read from the collection's folder: written elsewhere,
    the converted collection (both ways) still sends those files; a path with variables is reported."""
    from postman_gen.cli import main

    source = tmp_path / "src"
    (source / "files").mkdir(parents=True)
    (source / "files" / "a.txt").write_text("A", encoding="utf-8")
    (source / "files" / "b.png").write_bytes(b"\x89PNG")
    absolute = tmp_path / "abs.bin"
    absolute.write_bytes(b"x")
    item = {"request": {"method": "POST", "url": "http://h/x"}}
    doc = {
        "info": {
            "name": "F",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [
            {
                "name": "file",
                **item,
                "request": {**item["request"], "body": {"mode": "file", "file": {"src": "files/a.txt"}}},
            },
            {
                "name": "form",
                "request": {
                    **item["request"],
                    "body": {
                        "mode": "formdata",
                        "formdata": [
                            {"key": "b", "type": "file", "src": "files/b.png"},
                            {"key": "c", "type": "file", "src": str(absolute)},
                            {"key": "t", "type": "text", "value": "files/a.txt"},
                        ],
                    },
                },
            },
            {
                "name": "var",
                "request": {**item["request"], "body": {"mode": "file", "file": {"src": "{{dir}}/a.txt"}}},
            },
        ],
    }
    original = source / "f.postman_collection.json"
    original.write_text(json.dumps(doc), encoding="utf-8")
    tree, back = tmp_path / "repo" / "postman" / "collections" / "F", tmp_path / "other" / "f.json"
    for args in (["convert", str(original), "-o", str(tree)], ["convert", str(tree), "-o", str(back)]):
        with pytest.raises(SystemExit) as exc:
            main(args)
        assert exc.value.code == 0
        assert "'{{dir}}/a.txt' holds variables" in capsys.readouterr().err
    expected = _bodies(original)
    assert expected[0] == str(source / "files" / "a.txt")
    assert expected[1] == [("b", str(source / "files" / "b.png")), ("c", str(absolute)), ("t", None)]
    assert _bodies(tree)[:2] == expected[:2]
    assert _bodies(back)[:2] == expected[:2]
    assert _bodies(back)[2] == str(back.parent / "{{dir}}" / "a.txt")  # relative to the new folder
    assert "../../../../src/files/a.txt" in (tree / "file.request.yaml").read_text(encoding="utf-8")
    assert not [p for p in tree.iterdir() if p.is_dir() and p.name != ".resources"]  # nothing copied in
