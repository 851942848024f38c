"""Iteration data read as Newman reads it: CSV (header row, BOM, trim, quoted fields kept) or JSON rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postman_gen.collection.iteration import cast_csv_value, load_iteration_data, parse_csv, row_texts
from postman_gen.errors import InputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("007", "7"),
        ("0", "0"),
        ("-5", "-5"),
        ("+5", "5"),
        ("1.50", "1.5"),
        ("1e3", "1000"),
        (".5", "0.5"),
        ("0x10", "0"),
        ("12abc", "12abc"),
        ("true", "true"),
        ("1e21", "1e+21"),
        ("0.0000001", "1e-7"),
        ("123456789012345678901", "123456789012345680000"),
        ("Infinity", "Infinity"),
        ("", ""),
        ("2024-01-02", "2024-01-02"),
    ],
)
def test_unquoted_values_are_cast_as_newman_casts_them(text: str, expected: str) -> None:
    assert cast_csv_value(text, quoted=False) == expected


def test_quoted_values_stay_text() -> None:
    assert cast_csv_value("007", quoted=True) == "007"


def test_csv_header_bom_trim_quotes_and_blank_lines() -> None:
    text = '\ufeffname , n,note\n ada , 007 ,"a, ""quoted"" note"\n\nbob,1,\r\n"x" , "2" ,z\n'
    assert parse_csv(text) == [
        {"name": "ada", "n": "7", "note": 'a, "quoted" note'},
        {"name": "bob", "n": "1", "note": ""},
        {"name": "x", "n": "2", "note": "z"},
    ]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a,b\n1,2\n3\n", "line 3", "this row has 1 fields but the header has 2"),
        ("a,b\n1,2,3\n", "line 2", "this row has 3 fields but the header has 2"),
        ('a,b\n"multi\nline",2\n\n5,6\r\n7,8,9\n', "line 6", "this row has 3 fields"),
        ('a,b\n1,"2\n3,4\n', "line 2", "a quoted field is never closed"),
    ],
    ids=["short", "long", "line-after-multiline-field", "unterminated-quote"],
)
def test_csv_ragged_rows_and_open_quotes_are_refused_with_their_line(
    text: str, where: str, message: str
) -> None:
    """As csv-parse (Newman) refuses them: "Invalid Record Length", "Quote Not Closed"."""
    with pytest.raises(InputError) as caught:
        parse_csv(text, file="data.csv")
    assert caught.value.where == where and message in str(caught.value)


def test_json_rows_and_scalars(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text(json.dumps([{"a": 1, "b": True, "c": None, "d": {"x": [1]}, "e": 1.5, "f": "007"}]))
    [row] = load_iteration_data(str(path))
    assert row == {"a": 1, "b": True, "c": None, "d": {"x": [1]}, "e": 1.5, "f": "007"}  # typed, for scripts
    assert row_texts(row) == {
        # as Newman substitutes them: a null is left as written (None), an object is "[object Object]"
        "a": "1",
        "b": "true",
        "c": None,
        "d": "[object Object]",
        "e": "1.5",
        "f": "007",
    }


def test_json_that_is_not_rows_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text("[1, 2]")
    with pytest.raises(InputError):
        load_iteration_data(str(path))
    with pytest.raises(InputError):
        load_iteration_data(str(tmp_path / "missing.csv"))


def test_csv_file_is_read_when_not_json(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes(b"\xef\xbb\xbfk,v\r\n1,two\r\n")
    assert load_iteration_data(str(path)) == [{"k": "1", "v": "two"}]


def test_dry_run_checks_the_iteration_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from postman_gen.cli import main

    data = tmp_path / "data.csv"
    data.write_text("a,b\n1\n")
    collection = (
        Path(__file__).resolve().parent.parent / "collections" / "auth0-update-a-user.postman_item.json"
    )
    with pytest.raises(SystemExit) as exc:
        main(["run", str(collection), "--dry-run", "-d", str(data)])
    assert exc.value.code == 2
    assert f"{data}: line 2: this row has 1 fields but the header has 2" in capsys.readouterr().err
