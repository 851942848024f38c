"""--ssl-client-cert-list: URL patterns as postman-collection's UrlMatchPattern matches them (the expected
values were checked against Newman 6.2's own UrlMatchPattern), and which entry a URL picks."""

from __future__ import annotations

import pytest

from postman_gen.replay.client_certs import ClientCert, UrlPattern, pick

CASES = [
    ("https://api.example.com/*", "https://api.example.com/x", True),
    ("https://api.example.com/*", "https://api.example.com:8443/x", False),  # no port: the default, 443
    ("https://api.example.com/*", "https://api.example.com:443/x", True),
    ("https://api.example.com/*", "http://api.example.com/x", False),
    ("https://*.example.com/*", "https://example.com/", True),
    ("https://*.example.com/*", "https://a.b.example.com/q?x=1", True),
    ("https://*.example.com/*", "https://badexample.com/", False),
    ("*://h:*/a?c", "https://h:1/abc", True),
    ("*://h:*/a?c", "https://h:1/abcd", False),
    ("http+https://h/v1/*", "https://h/v1/", True),
    ("http+https://h/v1/*", "https://h/v2/", False),
    ("https://h/*", "https://h", True),
    ("https://h:8443/*", "https://h:8443/x", True),
    ("https://h/a.b", "https://h/aXb", False),  # only * and ? are wildcards
    ("<all_urls>", "https://anything:1/at/all", True),
]


@pytest.mark.parametrize(("pattern", "url", "matches"), CASES)
def test_patterns_match_as_newman_matches_them(pattern: str, url: str, matches: bool) -> None:
    parsed = UrlPattern.parse(pattern)
    assert parsed is not None
    assert parsed.test(url) is matches


@pytest.mark.parametrize("text", ["api.example.com/*", "https://h", "https://*h/*", "gopher://h/*", ""])
def test_what_is_not_a_pattern(text: str) -> None:
    assert UrlPattern.parse(text) is None


def _entry(name: str, *patterns: str) -> ClientCert:
    parsed = tuple(p for p in (UrlPattern.parse(t) for t in patterns) if p is not None)
    return ClientCert(name, parsed, cert=f"{name}.pem")


def test_the_first_matching_entry_wins_and_only_for_https() -> None:
    entries = [_entry("a", "https://a.test/*"), _entry("any", "<all_urls>"), _entry("b", "https://b.test/*")]
    assert pick(entries, "https://a.test/x") == entries[0]
    assert pick(entries, "https://b.test/x") == entries[1]
    assert pick(entries, "http://a.test/x") is None  # a client certificate is for TLS only
    assert "passphrase" not in repr(ClientCert("s", (), cert="c", passphrase="hunter2"))
