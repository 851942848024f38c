"""Newman's ``--ssl-client-cert-list``: a client certificate per URL pattern.

The file is a JSON array; each entry names the URLs it is for and its certificate::

    [{"name": "api", "matches": ["https://api.example.com/*", "https://*.example.net:8443/*"],
      "cert": {"src": "./api.crt"}, "key": {"src": "./api.key"}, "passphrase": "..."},
     {"name": "legacy", "matches": ["https://legacy.example.com/*"], "pfx": {"src": "./legacy.p12"}}]

A request to an ``https`` URL uses the first entry one of whose patterns matches it (its certificate for
the whole request, redirects included); a request no entry matches uses ``--ssl-client-cert``, if given.
Patterns are postman-collection's ``UrlMatchPattern``: ``scheme://host[:port]/path`` where the scheme is
``https``, ``http+https`` or ``*``; the host ``*``, ``*.example.com`` (the domain and every subdomain) or a
name; the port ``*``, a number or, left out, the scheme's default (so ``https://127.0.0.1/*`` does not
match port 8443); the path a glob (``*`` any characters, ``?`` one). ``<all_urls>`` matches every URL.
Relative ``src`` paths are read from the current directory (Newman's default working directory).

Unlike Newman, a pattern that is not one (``api.example.com/*``, no scheme) is an error instead of a
pattern that never matches. Every problem is one ``InputError`` naming the file and the JSON location.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from postman_gen.errors import InputError

ALL_URLS = "<all_urls>"
_PROTOCOLS = ("http", "https", "file", "ftp")
_DEFAULT_PORTS = {"http": "80", "https": "443", "ftp": "21"}
_PATTERN = re.compile(
    r"^((?:http|https|file|ftp|\*)(?:\+(?:http|https|file|ftp))*)://"
    r"(\*|\*\.[^*/:]+|[^*/:]+)(:\*|:\d+)?(/.*)$"
)


@dataclass(frozen=True, slots=True)
class UrlPattern:
    """One ``matches`` pattern, parsed (``text`` as written)."""

    text: str
    protocols: tuple[str, ...] = ()
    host: str = "*"
    port: str | None = None
    path: re.Pattern[str] | None = None

    @classmethod
    def parse(cls, text: str) -> UrlPattern | None:
        """The pattern, or None when ``text`` is not one."""
        if text == ALL_URLS:
            return cls(text)
        found = _PATTERN.match(text)
        if found is None:
            return None
        protocols, host, port, path = found.groups()
        glob = re.escape(path).replace(r"\*", ".*").replace(r"\?", ".")
        return cls(
            text, tuple(protocols.split("+")), host.lower(), port[1:] if port else None, re.compile(glob)
        )

    def test(self, url: str) -> bool:
        """Whether ``url`` (as sent) is one this pattern names."""
        if self.text == ALL_URLS:
            return True
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _PROTOCOLS or ("*" not in self.protocols and scheme not in self.protocols):
            return False
        host = (parts.hostname or "").lower()
        if self.host != "*":
            suffix = self.host[2:] if self.host.startswith("*.") else None
            if suffix is None and host != self.host:
                return False
            if suffix is not None and host != suffix and not host.endswith("." + suffix):
                return False
        try:
            port = str(parts.port) if parts.port is not None else None
        except ValueError:
            return False
        if self.port != "*":
            default = _DEFAULT_PORTS.get(scheme)
            if (port or default) != (self.port or default):
                return False
        assert self.path is not None
        return self.path.fullmatch(parts.path or "/") is not None


@dataclass(frozen=True, slots=True)
class ClientCert:
    """One entry of the list: the URLs it is for and the files of its certificate (PEM, or a PKCS#12
    ``pfx``). ``where`` is its JSON location (``[2]``) for messages."""

    name: str
    matches: tuple[UrlPattern, ...]
    cert: str | None = None
    key: str | None = None
    pfx: str | None = None
    passphrase: str | None = None
    file: str = ""
    where: str = ""

    def __repr__(self) -> str:  # the passphrase is a secret: never in a log or a traceback
        return f"ClientCert(name={self.name!r}, cert={self.cert!r}, key={self.key!r}, pfx={self.pfx!r})"

    def applies_to(self, url: str) -> bool:
        """An ``https`` URL one of the patterns matches (postman-collection's ``Certificate.canApplyTo``)."""
        return url[:8].lower() == "https://" and any(p.test(url) for p in self.matches)


def pick(certs: Sequence[ClientCert], url: str) -> ClientCert | None:
    """The first entry for ``url``, or None (then --ssl-client-cert, if any, is used)."""
    return next((c for c in certs if c.applies_to(url)), None)


def load_client_cert_list(path: str) -> tuple[ClientCert, ...]:
    """Read and check a ``--ssl-client-cert-list`` file (the transport loads the certificate files)."""
    from postman_gen.collection.loader import read_json

    data = read_json(path, name=path)
    if not isinstance(data, list):
        raise InputError(
            "expected a JSON array of client certificates ({name, matches, cert, key...})", file=path
        )
    return tuple(_entry(entry, path, f"[{index}]") for index, entry in enumerate(data))


def _entry(entry: Any, file: str, where: str) -> ClientCert:
    if not isinstance(entry, Mapping):
        raise InputError("expected an object {name, matches, cert, key, passphrase}", file=file, where=where)
    matches = entry.get("matches")
    if not isinstance(matches, list) or not matches:
        raise InputError(
            "expected a list of URL patterns (https://host/*)", file=file, where=f"{where}.matches"
        )
    patterns = []
    for index, text in enumerate(matches):
        pattern = UrlPattern.parse(text) if isinstance(text, str) else None
        if pattern is None:
            raise InputError(
                f"not a URL pattern: {text!r} (scheme://host[:port]/path, * as a wildcard, or <all_urls>)",
                file=file,
                where=f"{where}.matches[{index}]",
            )
        patterns.append(pattern)
    cert, key, pfx = (_src(entry, name, file, where) for name in ("cert", "key", "pfx"))
    if cert is None and pfx is None:
        raise InputError(
            "needs a certificate: cert {src} (PEM) or pfx {src} (PKCS#12)", file=file, where=where
        )
    passphrase = entry.get("passphrase")
    if passphrase is not None and not isinstance(passphrase, str):
        raise InputError("expected a string", file=file, where=f"{where}.passphrase")
    name = entry.get("name")
    return ClientCert(
        name=name if isinstance(name, str) else where,
        matches=tuple(patterns),
        cert=cert,
        key=key,
        pfx=pfx,
        passphrase=passphrase,
        file=file,
        where=where,
    )


def _src(entry: Mapping[str, Any], name: str, file: str, where: str) -> str | None:
    """``cert``/``key``/``pfx``: ``{"src": path}`` or a bare path (as postman-collection accepts)."""
    value = entry.get(name)
    if isinstance(value, Mapping):
        value = value.get("src")
        where = f"{where}.{name}.src"
    else:
        where = f"{where}.{name}"
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError("expected a file path", file=file, where=where)
    return value


def pfx_as_pem(entry: ClientCert, folder: str) -> tuple[str, str, str]:
    """A PKCS#12 ``pfx`` as PEM files in ``folder`` (a private temporary folder): (certificate chain, key
    encrypted with a random password, that password); the key is never on disk in the clear."""
    import os
    import secrets

    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.serialization import pkcs12
    except ModuleNotFoundError:
        raise InputError(
            "a pfx certificate needs the cryptography package: pip install 'postman-gen[tls]'",
            file=entry.file,
            where=f"{entry.where}.pfx",
        ) from None
    assert entry.pfx is not None
    try:
        with open(entry.pfx, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise InputError(
            f"cannot read {entry.pfx}: {exc.strerror}", file=entry.file, where=f"{entry.where}.pfx"
        ) from None
    try:
        password = entry.passphrase.encode() if entry.passphrase is not None else None
        key, cert, chain = pkcs12.load_key_and_certificates(data, password)
    except (ValueError, TypeError) as exc:
        reason = "wrong passphrase, or not a PKCS#12 file" if "password" in str(exc).lower() else str(exc)
        raise InputError(
            f"cannot load {entry.pfx}: {reason}", file=entry.file, where=f"{entry.where}.pfx"
        ) from None
    if key is None or cert is None:
        raise InputError(
            f"{entry.pfx} holds no certificate with its private key",
            file=entry.file,
            where=f"{entry.where}.pfx",
        )
    secret = secrets.token_hex(16)
    pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (cert, *(chain or ())))
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(secret.encode()),
    )
    stem = os.path.join(folder, f"pfx-{secrets.token_hex(4)}")
    for path, content in ((stem + ".crt", pem), (stem + ".key", key_pem)):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(content)
    return stem + ".crt", stem + ".key", secret
