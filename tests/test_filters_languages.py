"""The string-literal filters of Go, Ruby, PHP, Java, C and C#, read back by the real compilers.

Each test writes ONE program holding a batch of literals (awkward samples, or a hypothesis-generated list),
compiles and runs it once, and compares the bytes it prints (each literal's UTF-8 bytes, then a NUL) with
the strings. Planted shell commands among the strings must never run. A missing compiler skips the test
outside CI and fails it in CI.
"""

from __future__ import annotations

import glob
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postman_gen.errors import ResolveError
from postman_gen.render import filters
from postman_gen.resolution.placeholders import Placeholder, PlaceholderKind, token
from tests.runtimes import need

PLANTED = "/tmp/postman-gen-pwned-literal"
AWKWARD = [
    "",
    "plain",
    "it's",
    'say "hi"',
    "back\\slash\\",
    "\\n is not a newline, \\u000a is not one either, \\x41 \\101 \\0",
    f"$(touch {PLANTED}-1) `touch {PLANTED}-2` ${{HOME}} $HOME #{{`touch {PLANTED}-3`}} {{$x}} #$x #@x",
    "%s %d %% %n {} {0} {{x}} ${x} #{x}",
    "??= ??/ ??' ??( ??) ??! ??< ??> ??- ???",
    "line1\nline2\r\nend\ttab\x0b\x0c\x07\x08\x1b\x7f",
    "\x01\x02 octal then digit \x017 hex then hex \x01abc",
    "sep\u2028para\u2029 nel\x85 nbsp\xa0 bom\ufeff zwj\u200d rlo\u202e",
    "é ü 中文 العربية 😀 👨\u200d👩\u200d👧 𝕏 \U0010fffd",
    "?> <?php echo 1; ?> */ /* -->",
    "x" * 5000,
]
PIECES = [
    '"',
    "'",
    "\\",
    "$",
    "%",
    "{}",
    "#{}",
    "${}",
    "{$",
    "`",
    "\n",
    "\r",
    "\t",
    "\u2028",
    "\u2029",
    "??",
    "?>",
    "\\u000a",
    "#",
    "@",
    f"$(touch {PLANTED}-h)",
]
fuzz_text = st.lists(
    st.sampled_from(PIECES) | st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
    max_size=24,
).map("".join)
batches = st.lists(fuzz_text, min_size=1, max_size=30)


def _check(done: subprocess.CompletedProcess[bytes], strings: list[str]) -> None:
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-3000:]
    printed = done.stdout.split(b"\x00")[:-1]
    assert [p.decode("utf-8") for p in printed] == strings
    assert not glob.glob(PLANTED + "*"), "a planted command ran"


def _exec(command: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(command, cwd=cwd, capture_output=True, timeout=300, check=False)


def run_go(
    strings: list[str], work: Path, literal: Callable[[str], str] = filters.go_str
) -> subprocess.CompletedProcess[bytes]:
    go = need("go")
    items = "".join(f"\t\t{literal(s)},\n" for s in strings)
    source = (
        'package main\n\nimport "os"\n\nfunc main() {\n\tfor _, s := range []string{\n'
        f'{items}\t}} {{\n\t\tos.Stdout.WriteString(s + "\\x00")\n\t}}\n}}\n'
    )
    (work / "main.go").write_text(source, encoding="utf-8")
    gofmt = subprocess.run([need("gofmt"), "-l", "main.go"], cwd=work, capture_output=True, check=False)
    assert not gofmt.stdout, "gofmt would change a literal"
    return _exec([go, "run", "main.go"], work)


def run_ruby(strings: list[str], work: Path) -> subprocess.CompletedProcess[bytes]:
    ruby = need("ruby")
    items = "".join(f"  {filters.rb_str(s)},\n" for s in strings)
    source = f'$stdout.binmode\n[\n{items}].each {{ |s| $stdout.write(s, "\\0") }}\n'
    (work / "main.rb").write_text(source, encoding="utf-8")
    lint = _exec([ruby, "-wc", "main.rb"], work)
    assert lint.returncode == 0 and not lint.stderr, lint.stderr
    return _exec([ruby, "main.rb"], work)


def run_php(strings: list[str], work: Path) -> subprocess.CompletedProcess[bytes]:
    php = need("php")
    items = "".join(f"    {filters.php_str(s)},\n" for s in strings)
    source = f'<?php\n\nforeach ([\n{items}] as $s) {{\n    echo $s, "\\0";\n}}\n'
    (work / "main.php").write_text(source, encoding="utf-8")
    return _exec([php, "main.php"], work)


def run_java(strings: list[str], work: Path) -> subprocess.CompletedProcess[bytes]:
    java = need("java")
    items = "".join(f"            {filters.java_str(s)},\n" for s in strings)
    source = (
        "import java.nio.charset.StandardCharsets;\n\n"
        "class Main {\n    public static void main(String[] args) throws Exception {\n"
        f"        String[] strings = {{\n{items}        }};\n"
        "        for (String s : strings) {\n"
        "            System.out.write(s.getBytes(StandardCharsets.UTF_8));\n"
        "            System.out.write(0);\n        }\n        System.out.flush();\n    }\n}\n"
    )
    (work / "Main.java").write_text(source, encoding="utf-8")
    return _exec([java, "-Dfile.encoding=US-ASCII", "Main.java"], work)


def run_c(strings: list[str], work: Path) -> subprocess.CompletedProcess[bytes]:
    gcc = need("gcc")
    items = "".join(f"    {{{filters.c_str(s)}, {filters.c_length(s)}}},\n" for s in strings)
    source = (
        "#include <stdio.h>\n\nstruct literal {\n    const char *text;\n    size_t length;\n};\n\n"
        f"static const struct literal strings[] = {{\n{items}}};\n\n"
        "int main(void) {\n    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {\n"
        "        fwrite(strings[i].text, 1, strings[i].length, stdout);\n        putchar(0);\n    }\n"
        "    return 0;\n}\n"
    )
    (work / "main.c").write_text(source, encoding="utf-8")
    build = _exec([gcc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", "main", "main.c"], work)
    assert build.returncode == 0, build.stderr.decode()[-3000:]
    return _exec(["./main"], work)


def run_csharp(strings: list[str], work: Path) -> subprocess.CompletedProcess[bytes]:
    mcs, mono = need("mcs"), need("mono")
    items = "".join(f"            {filters.cs_str(s)},\n" for s in strings)
    source = (
        "using System;\nusing System.Text;\n\nclass Program\n{\n    static void Main()\n    {\n"
        f"        var strings = new[]\n        {{\n{items}        }};\n"
        "        var output = Console.OpenStandardOutput();\n"
        "        foreach (var s in strings)\n        {\n"
        "            var bytes = new UTF8Encoding(false).GetBytes(s);\n"
        "            output.Write(bytes, 0, bytes.Length);\n            output.WriteByte(0);\n        }\n"
        "    }\n}\n"
    )
    (work / "main.cs").write_text(source, encoding="utf-8")
    build = _exec([mcs, "-warnaserror+", "-out:main.exe", "main.cs"], work)
    assert build.returncode == 0, build.stdout.decode()[-3000:]
    return _exec([mono, "main.exe"], work)


RUNNERS: dict[str, Callable[[list[str], Path], subprocess.CompletedProcess[bytes]]] = {
    "go": run_go,
    "ruby": run_ruby,
    "php": run_php,
    "java": run_java,
    "c": run_c,
    "csharp": run_csharp,
}
LITERALS = {
    "go": filters.go_str,
    "ruby": filters.rb_str,
    "php": filters.php_str,
    "java": filters.java_str,
    "c": filters.c_str,
    "csharp": filters.cs_str,
}


@pytest.mark.slow
@pytest.mark.parametrize("language", sorted(RUNNERS))
def test_awkward_literals_read_back(language: str, tmp_path: Path) -> None:
    _check(RUNNERS[language](AWKWARD, tmp_path), AWKWARD)


@pytest.mark.slow
@pytest.mark.parametrize("language", sorted(RUNNERS))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(strings=batches)
def test_any_literals_read_back(language: str, strings: list[str], tmp_path: Path) -> None:
    _check(RUNNERS[language](strings, tmp_path), strings)


@pytest.mark.parametrize("language", sorted(LITERALS))
@given(s=fuzz_text)
def test_literals_are_one_line(language: str, s: str) -> None:
    literal = LITERALS[language](s)
    assert "\n" not in literal and "\r" not in literal and "\u2028" not in literal
    if language == "java":
        assert literal.isascii()


@pytest.mark.parametrize("language", sorted(LITERALS))
def test_lone_surrogates_are_refused(language: str) -> None:
    with pytest.raises(ResolveError):
        LITERALS[language]("lone \ud800")


@pytest.mark.slow
def test_go_raw_strings_read_back(tmp_path: Path) -> None:
    strings = [*AWKWARD, '{\n\t"a": 1\n}\n', "multi\nline $x \\ 'q' \"d\"\n", "cr\r\nno", "tick`\n"]
    assert filters.go_text(strings[-4]).startswith("`")
    _check(run_go(strings, tmp_path, filters.go_text), strings)


def test_c_never_writes_a_trigraph() -> None:
    assert "??" not in filters.c_str("????=??/")


def test_runtime_expressions() -> None:
    table = (
        Placeholder(PlaceholderKind.VARIABLE, "host", "HOST"),
        Placeholder(PlaceholderKind.DYNAMIC, "$guid", "GUID"),
    )
    text = "http://" + token(0) + "/x?id=" + token(1)
    assert filters.go_expr(text, table, "env") == '"http://" + mustEnv("HOST") + "/x?id=" + newUUID()'
    assert (
        filters.rb_expr(text, table, "env") == "'http://' + ENV.fetch('HOST') + '/x?id=' + SecureRandom.uuid"
    )
    assert filters.php_expr(text, table, "env") == "'http://' . env('HOST') . '/x?id=' . uuid4()"
    assert (
        filters.c_expr(text, table, "env") == 'concat("http://", env("HOST"), "/x?id=", dynamic_uuid(), NULL)'
    )
    assert filters.lang_needs("go", [text], table, "env") == [
        "crypto/rand",
        "fmt",
        "helper:mustEnv",
        "helper:newUUID",
        "log",
        "os",
    ]
    assert filters.go_expr(text, table, "keep") == '"http://{{host}}/x?id={{$guid}}"'
