"""Self-signed TLS material for the local echo server and the tests.

Why: replay must be testable against ``https://`` without any outside network, and a user of
``postman-gen echo --tls`` needs one file to trust (``--ssl-extra-ca-certs``). The certificate made
here is its own trust anchor: it is marked as a CA (so strict verifiers such as Python 3.13's
``VERIFY_X509_STRICT`` and curl accept it from a CA bundle) and carries ``subjectAltName`` entries
for every host it serves, since modern clients ignore the common name.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import ssl
from collections.abc import Sequence

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from postman_gen.errors import InputError

CERT_NAME = "cert.pem"
KEY_NAME = "key.pem"
VALIDITY = datetime.timedelta(days=365)


def make_self_signed(directory: str, hosts: Sequence[str] = ("localhost", "127.0.0.1")) -> tuple[str, str]:
    """Write ``cert.pem`` and ``key.pem`` into ``directory``; return their paths (cert, key).

    Each host becomes a SAN entry: an IP address when it parses as one, else a DNS name.
    The key is an EC P-256 key: instant to generate, accepted by OpenSSL, curl and ``requests``.
    """
    if not hosts:
        raise ValueError("make_self_signed needs at least one host name")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _build_certificate(key, list(hosts))
    cert_path = os.path.join(directory, CERT_NAME)
    key_path = os.path.join(directory, KEY_NAME)
    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
    _write(key_path, _private_pem(key), mode=0o600)
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


def _build_certificate(key: ec.EllipticCurvePrivateKey, hosts: list[str]) -> x509.Certificate:
    """A self-issued certificate valid as both trust anchor and server certificate for ``hosts``."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])])
    now = datetime.datetime.now(datetime.timezone.utc)
    public_key = key.public_key()
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.SubjectAlternativeName(_san_entries(hosts)), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key), critical=False)
    )
    return builder.sign(key, hashes.SHA256())


def _san_entries(hosts: list[str]) -> list[x509.GeneralName]:
    """IP literals become ``IPAddress`` entries (clients match IPs only against those), others DNS names."""
    entries: list[x509.GeneralName] = []
    for host in dict.fromkeys(hosts):
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(host.strip("[]"))))
        except ValueError:
            entries.append(x509.DNSName(host))
    return entries


def _private_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write(path: str, data: bytes, *, mode: int) -> None:
    """Create the file with its final permissions from the start (the key is never world-readable)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    os.fchmod(fd, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
