"""Self-signed TLS material for the local echo server and the tests.

Why: replay must be testable against ``https://`` without any outside network, and a user of
``postman-gen echo --tls`` needs one file to trust (``--ssl-extra-ca-certs``). The certificate made
here is its own trust anchor: it is marked as a CA (so strict verifiers such as Python 3.13's
``VERIFY_X509_STRICT`` and curl accept it from a CA bundle) and carries ``subjectAltName`` entries
for every host it serves, since modern clients ignore the common name.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Sequence

from postman_gen.errors import InputError, UsageError

CERT_NAME = "cert.pem"
KEY_NAME = "key.pem"
INSTALL_HINT = "a self-signed certificate needs the cryptography package: pip install 'postman-gen[tls]'"


def make_self_signed(directory: str, hosts: Sequence[str] = ("localhost", "127.0.0.1")) -> tuple[str, str]:
    """Write ``cert.pem`` and ``key.pem`` into ``directory``; return their paths (cert, key).

    Each host becomes a SAN entry: an IP address when it parses as one, else a DNS name.
    The key is an EC P-256 key: instant to generate, accepted by OpenSSL, curl and ``requests``.
    """
    if not hosts:
        raise ValueError("make_self_signed needs at least one host name")
    try:
        from postman_gen.devserver import certificate
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] != "cryptography":
            raise
        raise UsageError(INSTALL_HINT) from None
    cert_pem, key_pem = certificate.self_signed(list(hosts))
    cert_path = os.path.join(directory, CERT_NAME)
    key_path = os.path.join(directory, KEY_NAME)
    _write(cert_path, cert_pem, mode=0o644)
    _write(key_path, key_pem, mode=0o600)
    return cert_path, key_path


def server_context(certfile: str, keyfile: str | None = None) -> ssl.SSLContext:
    """A server-side TLS context for ``certfile``/``keyfile``; unreadable files are an ``InputError``."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(certfile, keyfile)
    except (OSError, ssl.SSLError) as exc:
        raise InputError(f"cannot load TLS certificate/key: {exc}", file=certfile) from exc
    return context


def _write(path: str, data: bytes, *, mode: int) -> None:
    """Create the file with its final permissions from the start (the key is never world-readable)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    os.fchmod(fd, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
