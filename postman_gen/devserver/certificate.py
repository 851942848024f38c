"""The self-signed certificate of ``echo --tls`` (the only user of ``cryptography``, extra ``tls``).

Kept apart from ``tls.py`` so that the echo server, ``--cert``/``--key`` and everything else import without
the optional package; ``tls.make_self_signed`` imports this module when a certificate must be made.
"""

from __future__ import annotations

import datetime
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALIDITY = datetime.timedelta(days=365)


def self_signed(hosts: list[str]) -> tuple[bytes, bytes]:
    """A fresh EC P-256 key and its certificate for ``hosts``, both PEM: (certificate, key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _build_certificate(key, hosts)
    return cert.public_bytes(serialization.Encoding.PEM), _private_pem(key)


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
