"""Replay features that need more than a plain server: client certificates, proxies, time limits.

Every server here is a test-only one on 127.0.0.1: an HTTPS ``CaptureServer`` that requires a client
certificate signed by a CA made in the test, a small forward proxy (absolute-form requests and CONNECT),
and a server that trickles its body. Proxy variables are set per test (the session guard points them at a
closed port and exempts loopback).
"""

from __future__ import annotations

import datetime
import json
import select
import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import urllib3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import postman_gen
from postman_gen.cli import main
from postman_gen.devserver.echo import read_body, read_head
from postman_gen.errors import SendError
from postman_gen.replay import Transport, TransportOptions
from postman_gen.replay.outcome import FailureKind
from postman_gen.replay.transport import RUN_LIMIT_REASON, classify
from postman_gen.resolution.request import NoBody, ResolvedRequest
from tests.extras import item_params
from tests.servers import CaptureServer, refused_port
from tests.wire_compare import assert_sent_matches

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "collections" / "features.postman_collection.json"
LOCAL_ENV = ROOT / "collections" / "local.postman_environment.json"
PASSPHRASE = "s3cret pass"
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def write_collection(tmp_path: Path, items: list[dict[str, object]]) -> str:
    doc = {
        "info": {
            "name": "t",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": items,
    }
    path = tmp_path / "c.postman_collection.json"
    path.write_text(json.dumps(doc))
    return str(path)


def get_item(name: str, url: str, **extra: object) -> dict[str, object]:
    return {"name": name, "request": {"method": "GET", "url": url}, **extra}


# --------------------------------------------------------------------------- client certificates


@dataclass(frozen=True)
class Pki:
    """A CA and a client certificate it signed; the key plain, encrypted, and in one PEM with the cert."""

    ca: str
    cert: str
    key: str
    encrypted_key: str
    combined: str
    combined_encrypted: str
    stranger_cert: str  # signed by another CA: the server must refuse it
    stranger_key: str


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: str,
    signer: ec.EllipticCurvePrivateKey,
    *,
    ca: bool,
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
    return builder.sign(signer, hashes.SHA256())


def _pem_cert(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _pem_key(key: ec.EllipticCurvePrivateKey, passphrase: str | None = None) -> bytes:
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    d = tmp_path_factory.mktemp("pki")
    ca_key, client_key, other_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    ca = _certificate("test CA", ca_key, "test CA", ca_key, ca=True)
    client = _certificate("client", client_key, "test CA", ca_key, ca=False)
    stranger = _certificate("stranger", other_key, "stranger", other_key, ca=False)
    files = {
        "ca.pem": _pem_cert(ca),
        "client.pem": _pem_cert(client),
        "client.key": _pem_key(client_key),
        "client-encrypted.key": _pem_key(client_key, PASSPHRASE),
        "both.pem": _pem_cert(client) + _pem_key(client_key),
        "both-encrypted.pem": _pem_cert(client) + _pem_key(client_key, PASSPHRASE),
        "stranger.pem": _pem_cert(stranger),
        "stranger.key": _pem_key(other_key),
    }
    for name, data in files.items():
        (d / name).write_bytes(data)
    p = {name: str(d / name) for name in files}
    return Pki(
        p["ca.pem"],
        p["client.pem"],
        p["client.key"],
        p["client-encrypted.key"],
        p["both.pem"],
        p["both-encrypted.pem"],
        p["stranger.pem"],
        p["stranger.key"],
    )


@pytest.fixture(scope="module")
def mtls(pki: Pki) -> Iterator[CaptureServer]:
    with CaptureServer(tls=True, client_ca=pki.ca) as server:
        yield server


@pytest.fixture
def mtls_run(capsys: pytest.CaptureFixture[str], tmp_path: Path, mtls: CaptureServer) -> Iterator[object]:
    file = write_collection(tmp_path, [get_item("mtls", "{{u}}/anything")])
    assert mtls.ca_file

    def go(*args: str) -> tuple[int, str, str]:
        return run_cli(
            capsys, "run", file, "--var", f"u={mtls.url}", "--ssl-extra-ca-certs", mtls.ca_file, *args
        )

    mtls.clear()
    yield go


def test_client_certificate_and_key_files(mtls_run: object, mtls: CaptureServer, pki: Pki) -> None:
    status, out, err = mtls_run("--ssl-client-cert", pki.cert, "--ssl-client-key", pki.key)  # type: ignore[operator]
    assert (status, err) == (0, "")
    assert out.startswith("200\n") and len(mtls.requests) == 1


def test_encrypted_key_with_its_passphrase(mtls_run: object, pki: Pki) -> None:
    args = ("--ssl-client-cert", pki.cert, "--ssl-client-key", pki.encrypted_key)
    status, out, err = mtls_run(*args, "--ssl-client-passphrase", PASSPHRASE)  # type: ignore[operator]
    assert (status, err) == (0, "") and out.startswith("200\n")


@pytest.mark.parametrize("combined", ["plain", "encrypted"])
def test_certificate_and_key_in_one_pem(mtls_run: object, pki: Pki, combined: str) -> None:
    if combined == "plain":
        status, out, err = mtls_run("--ssl-client-cert", pki.combined)  # type: ignore[operator]
    else:
        status, out, err = mtls_run(  # type: ignore[operator]
            "--ssl-client-cert", pki.combined_encrypted, "--ssl-client-passphrase", PASSPHRASE
        )
    assert (status, err) == (0, "") and out.startswith("200\n")


def test_passphrase_with_insecure_and_strict_ssl_off(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, mtls: CaptureServer, pki: Pki
) -> None:
    """-k (or strictSSL false) with an encrypted key: no verification, the certificate still goes out."""
    client = ("--ssl-client-cert", pki.cert, "--ssl-client-key", pki.encrypted_key)
    items = [
        get_item("off", "{{u}}/anything", protocolProfileBehavior={"strictSSL": False}),
        get_item("on", "{{u}}/anything"),
    ]
    file = write_collection(tmp_path, items)
    base = ("run", file, "--var", f"u={mtls.url}", *client, "--ssl-client-passphrase", PASSPHRASE)
    status, _, err = run_cli(capsys, *base, "-k", "-i", "on")
    assert status == 0, err
    status, out, _ = run_cli(capsys, *base)  # "off" passes unverified, "on" must still verify
    assert status == 1
    assert "on: tls: certificate verify failed" in out and "off:" not in out.split("failures:")[-1]


# The server may also close before reading the client's first request bytes: TCP then resets, and the alert
# is lost before the client reads it. That is a reset, not a TLS reason, and named as such.
RESET = "postman-gen: mtls: reset: connection reset by the server\n"


def test_missing_certificate_is_a_failed_request(mtls_run: object) -> None:
    """TLS 1.3: the server checks for a certificate after the client finished its handshake, so the client
    sees either its "certificate required" alert or (often with OpenSSL 3) a bare EOF: both name the cause."""
    for _ in range(5):
        status, out, err = mtls_run()  # type: ignore[operator]
        assert status == 1 and out == ""
        assert err.count("\n") == 1 and "Traceback" not in err
        assert err in (
            "postman-gen: mtls: tls: the server requires a client certificate (--ssl-client-cert)\n",
            "postman-gen: mtls: tls: the server closed the TLS connection unannounced: "
            "does it require a client certificate (--ssl-client-cert)?\n",
            RESET,
        ), err


def test_certificate_the_server_does_not_trust_is_a_failed_request(mtls_run: object, pki: Pki) -> None:
    stranger = ("--ssl-client-cert", pki.stranger_cert, "--ssl-client-key", pki.stranger_key)
    for _ in range(5):
        status, _, err = mtls_run(*stranger)  # type: ignore[operator]
        assert status == 1 and err.count("\n") == 1
        assert err in (
            "postman-gen: mtls: tls: the server rejected the client certificate (tlsv1 alert unknown ca)\n",
            "postman-gen: mtls: tls: the server rejected the client certificate "
            "(it closed the connection after the handshake)\n",
            RESET,
        ), err


def test_tls_eof_names_the_client_certificate() -> None:
    """OpenSSL 3's wording of a bare close, with and without a client certificate (no race involved)."""
    eof = ssl.SSLEOFError(8, "EOF occurred in violation of protocol (_ssl.c:2427)")
    wrapped = requests.exceptions.SSLError(urllib3.exceptions.MaxRetryError(None, "/", eof))  # type: ignore[arg-type]
    assert classify(wrapped, client_cert=True).message == (
        "the server rejected the client certificate (it closed the connection after the handshake)"
    )
    assert "does it require a client certificate (--ssl-client-cert)?" in classify(wrapped).message
    plain = requests.exceptions.SSLError("[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1)")
    assert classify(plain).message.startswith("TLS error: ")


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("wrong passphrase", "wrong --ssl-client-passphrase for"),
        ("no passphrase", "is encrypted: give --ssl-client-passphrase"),
        ("no passphrase, one pem", "is encrypted: give --ssl-client-passphrase"),
        ("key of another certificate", "does not match the certificate"),
        ("not a key", "no private key in"),
        ("key without certificate", "--ssl-client-key needs --ssl-client-cert"),
    ],
)
def test_unusable_client_key_is_bad_input(
    mtls_run: object, mtls: CaptureServer, pki: Pki, case: str, expected: str
) -> None:
    args = {
        "wrong passphrase": ("--ssl-client-cert", pki.cert, "--ssl-client-key", pki.encrypted_key)
        + ("--ssl-client-passphrase", "wrong"),
        "no passphrase": ("--ssl-client-cert", pki.cert, "--ssl-client-key", pki.encrypted_key),
        "no passphrase, one pem": ("--ssl-client-cert", pki.combined_encrypted),
        "key of another certificate": ("--ssl-client-cert", pki.cert, "--ssl-client-key", pki.stranger_key),
        "not a key": ("--ssl-client-cert", pki.cert, "--ssl-client-key", pki.ca),
        "key without certificate": ("--ssl-client-key", pki.key),
    }[case]
    status, out, err = mtls_run(*args)  # type: ignore[operator]
    assert status == 2, err
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert expected in err
    assert mtls.requests == []  # nothing was sent


def _cert_list(tmp_path: Path, entries: object, name: str = "certs.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(entries))
    return str(path)


@pytest.fixture(scope="module")
def pfx(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The client certificate and its key as one PKCS#12 file, encrypted with PASSPHRASE."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    key = serialization.load_pem_private_key(Path(pki.key).read_bytes(), None)
    cert = x509.load_pem_x509_certificate(Path(pki.cert).read_bytes())
    encryption = serialization.BestAvailableEncryption(PASSPHRASE.encode())
    path = tmp_path_factory.mktemp("pfx") / "client.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"client", key, cert, None, encryption))  # type: ignore[arg-type]
    return str(path)


def test_client_cert_list_picks_the_certificate_by_url(
    mtls_run: object, mtls: CaptureServer, pki: Pki, pfx: str, tmp_path: Path
) -> None:
    """Newman's --ssl-client-cert-list: the first entry whose pattern matches the request's URL gives its
    certificate, over --ssl-client-cert; no match falls back to --ssl-client-cert. A pattern without a
    port means the scheme's default (443), as postman-collection's UrlMatchPattern."""
    stranger = ("--ssl-client-cert", pki.stranger_cert, "--ssl-client-key", pki.stranger_key)
    good = {"cert": {"src": pki.cert}, "key": {"src": pki.encrypted_key}, "passphrase": PASSPHRASE}
    bad = {"cert": pki.stranger_cert, "key": pki.stranger_key}
    picked = _cert_list(
        tmp_path,
        [
            {"name": "elsewhere", "matches": ["https://example.test/*"], **bad},
            {"name": "local", "matches": ["http+https://*.localhost/*", "https://127.0.0.1:*/any*"], **good},
            {"name": "too late", "matches": ["<all_urls>"], **bad},
        ],
    )
    status, out, err = mtls_run("--ssl-client-cert-list", picked, *stranger)  # type: ignore[operator]
    assert (status, err) == (0, "") and out.startswith("200\n")
    default_port = _cert_list(tmp_path, [{"matches": ["https://127.0.0.1/*"], **good}], "port.json")
    fallback = ("--ssl-client-cert", pki.cert, "--ssl-client-key", pki.key)
    status, out, err = mtls_run("--ssl-client-cert-list", default_port, *fallback)  # type: ignore[operator]
    assert (status, err) == (0, "") and out.startswith("200\n")
    status, _, err = mtls_run("--ssl-client-cert-list", default_port)  # type: ignore[operator]
    assert status == 1  # no entry, no --ssl-client-cert: none sent, the server requires one
    as_pfx = _cert_list(
        tmp_path, [{"matches": ["https://*:*/*"], "pfx": {"src": pfx}, "passphrase": PASSPHRASE}]
    )
    status, out, err = mtls_run("--ssl-client-cert-list", as_pfx)  # type: ignore[operator]
    assert (status, err) == (0, "") and out.startswith("200\n")


@pytest.mark.parametrize(
    ("entries", "where"),
    [
        ("{", "line 1 column 2: "),
        ({"matches": []}, "expected a JSON array"),
        ([1], "[0]: expected an object"),
        ([{"matches": "https://x/*", "cert": "c"}], "[0].matches: expected a list of URL patterns"),
        ([{"matches": ["api.example.com/*"], "cert": "c"}], "[0].matches[0]: not a URL pattern: "),
        ([{"name": "n", "matches": ["<all_urls>"]}], "[0]: needs a certificate"),
        ([{"matches": ["<all_urls>"], "cert": {"src": 5}}], "[0].cert.src: expected a file path"),
        ([{"matches": ["<all_urls>"], "cert": "c", "passphrase": 1}], "[0].passphrase: expected a string"),
        ([{"matches": ["<all_urls>"], "cert": "/nonexistent/c.pem"}], "[0]: cannot read /nonexistent/c.pem"),
        ("wrong passphrase", '[0]: wrong "passphrase" for '),
        ("no passphrase", "[0]: the client key in "),
        ("pfx, wrong passphrase", "[1].pfx: cannot load "),
    ],
)
def test_unusable_client_cert_list_is_bad_input(
    mtls_run: object, mtls: CaptureServer, pki: Pki, pfx: str, tmp_path: Path, entries: object, where: str
) -> None:
    """One line naming the file and the JSON location, exit 2, nothing sent."""
    good = {"matches": ["<all_urls>"], "cert": pki.cert, "key": pki.key}
    if entries == "wrong passphrase":
        entries = [
            {"matches": ["<all_urls>"], "cert": pki.cert, "key": pki.encrypted_key, "passphrase": "no"}
        ]
    elif entries == "no passphrase":
        entries = [{"matches": ["<all_urls>"], "cert": pki.cert, "key": pki.encrypted_key}]
    elif entries == "pfx, wrong passphrase":
        entries = [good, {"matches": ["<all_urls>"], "pfx": {"src": pfx}, "passphrase": "no"}]
    path = tmp_path / "certs.json"
    path.write_text(entries if isinstance(entries, str) else json.dumps(entries))
    status, out, err = mtls_run("--ssl-client-cert-list", str(path))  # type: ignore[operator]
    assert status == 2 and out == "" and err.count("\n") == 1, err
    assert err.startswith(f"postman-gen: {path}: {where}"), err
    assert mtls.requests == []


# --------------------------------------------------------------------------- proxies


@dataclass(frozen=True)
class Passed:
    """What the proxy saw: the request line's method and target, and the headers meant for it."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]


class _ProxyHandler(socketserver.BaseRequestHandler):
    server: _ProxyTCPServer

    def handle(self) -> None:
        rfile = self.request.makefile("rb")
        try:
            head = read_head(rfile)
            if head is None:
                return
            self.server.record(Passed(head.method, head.target, head.headers))
            if head.method == "CONNECT":
                self._tunnel(head.target, rfile)
            else:
                self._forward(head, rfile)
        except (OSError, ValueError):
            return
        finally:
            rfile.close()

    def _tunnel(self, authority: str, rfile: object) -> None:
        host, _, port = authority.rpartition(":")
        upstream = socket.create_connection((host.strip("[]"), int(port)))
        self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        _pipe(self.request, upstream, self.server.stopping)

    def _forward(self, head: object, rfile: object) -> None:
        """Absolute-form: send origin-form upstream with the client's header and body bytes unchanged."""
        parts = urlsplit(head.target)  # type: ignore[attr-defined]
        origin_form = (parts.path or "/") + (
            f"?{parts.query}" if parts.query or head.target.endswith("?") else ""
        )  # type: ignore[attr-defined]
        fields = b"".join(
            f"{name}: {value}\r\n".encode("latin-1")
            for name, value in head.headers  # type: ignore[attr-defined]
            if not name.lower().startswith("proxy-")
        )
        raw_body = bytearray()
        read_body(rfile, head, raw_body)  # type: ignore[arg-type]
        line = f"{head.method} {origin_form} {head.version}\r\n".encode("latin-1")  # type: ignore[attr-defined]
        upstream = socket.create_connection((parts.hostname or "", parts.port or 80))
        upstream.sendall(line + fields + b"\r\n" + bytes(raw_body))
        _relay_one_response(upstream, self.request)


def _relay_one_response(upstream: socket.socket, client: socket.socket) -> None:
    """Read one response from upstream and hand it to the client with ``Connection: close``."""
    import http.client

    response = http.client.HTTPResponse(upstream)
    response.begin()
    body = response.read()
    headers = [
        (k, v)
        for k, v in response.getheaders()
        if k.lower() not in ("connection", "content-length", "transfer-encoding", "keep-alive")
    ]
    head = f"HTTP/1.1 {response.status} {response.reason}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers)
    head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    client.sendall(head.encode("latin-1") + body)
    upstream.close()


def _pipe(a: socket.socket, b: socket.socket, stopping: threading.Event) -> None:
    """Copy bytes both ways until either side closes (or the proxy stops)."""
    try:
        while not stopping.is_set():
            ready, _, _ = select.select([a, b], [], [], 0.05)
            for sock in ready:
                data = sock.recv(65536)
                if not data:
                    return
                (b if sock is a else a).sendall(data)
    finally:
        b.close()


class _ProxyTCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self) -> None:
        self.passed: list[Passed] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        super().__init__(("127.0.0.1", 0), _ProxyHandler)

    def record(self, passed: Passed) -> None:
        with self.lock:
            self.passed.append(passed)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client going away mid-request is expected here."""


class ForwardProxy:
    """A forward HTTP proxy on 127.0.0.1 recording what passed through it (``passed``)."""

    def __init__(self) -> None:
        self._server = _ProxyTCPServer()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def passed(self) -> list[Passed]:
        with self._server.lock:
            return list(self._server.passed)

    def __enter__(self) -> ForwardProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[ForwardProxy]:
    """A proxy named by HTTP_PROXY/HTTPS_PROXY (both spellings); NO_PROXY empty so loopback goes through."""
    with ForwardProxy() as running:
        for name in PROXY_VARS:
            monkeypatch.delenv(name, raising=False)
            monkeypatch.delenv(name.lower(), raising=False)
        for name in ("HTTP_PROXY", "HTTPS_PROXY"):
            monkeypatch.setenv(name, running.url)
            monkeypatch.setenv(name.lower(), running.url)
        yield running


FEATURE_ITEMS = item_params(FEATURES)


@pytest.mark.parametrize("item", FEATURE_ITEMS)
def test_through_the_proxy_the_target_gets_the_resolved_request(
    capsys: pytest.CaptureFixture[str], proxy: ForwardProxy, item: str
) -> None:
    with CaptureServer() as target:
        args = [
            str(FEATURES),
            "-e",
            str(LOCAL_ENV),
            "--var",
            f"base_url={target.url}",
            "-i",
            item,
            "--seed",
            "7",
        ]
        status, out, err = run_cli(capsys, "run", *args)
        assert status == 0, err
        captured = target.requests[-1]  # digest: the answer to the challenge
    values = postman_gen.Values(
        environment=postman_gen.load_variables(LOCAL_ENV), cli={"base_url": target.url}
    )
    [resolved] = postman_gen.resolve_all(
        postman_gen.load(FEATURES), [item], values, postman_gen.ResolveOptions(seed=7)
    )
    passed = proxy.passed[0]  # digest: a second round follows the challenge
    assert passed.method == resolved.method
    assert passed.target == resolved.url.split("#")[0]  # absolute-form, as resolved
    assert_sent_matches(captured, resolved)


def test_https_goes_through_connect(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, proxy: ForwardProxy
) -> None:
    file = write_collection(tmp_path, [get_item("s", "{{u}}/anything?q=a%20b")])
    with CaptureServer(tls=True) as target:
        assert target.ca_file
        status, out, err = run_cli(
            capsys, "run", file, "--var", f"u={target.url}", "--ssl-extra-ca-certs", target.ca_file
        )
        assert status == 0, err
        assert [r.target for r in target.requests] == ["/anything?q=a%20b"]
    assert [(p.method, p.target) for p in proxy.passed] == [("CONNECT", f"127.0.0.1:{target.port}")]


def test_client_certificate_goes_through_the_tunnel(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, proxy: ForwardProxy, mtls: CaptureServer, pki: Pki
) -> None:
    file = write_collection(tmp_path, [get_item("s", "{{u}}/anything")])
    assert mtls.ca_file
    base = ("run", file, "--var", f"u={mtls.url}", "--ssl-extra-ca-certs", mtls.ca_file)
    for client in (
        ("--ssl-client-cert", pki.cert, "--ssl-client-key", pki.key),
        ("--ssl-client-cert", pki.combined_encrypted, "--ssl-client-passphrase", PASSPHRASE),
    ):
        status, _, err = run_cli(capsys, *base, *client)
        assert status == 0, err
    assert [p.method for p in proxy.passed] == ["CONNECT", "CONNECT"]


def test_no_proxy_flag_and_no_proxy_variable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = write_collection(tmp_path, [get_item("a", "{{u}}/a")])
    with CaptureServer() as target:
        run = ("run", file, "--var")
        assert run_cli(capsys, *run, f"u={target.url}", "--no-proxy")[0] == 0
        assert proxy.passed == []
        monkeypatch.setenv("NO_PROXY", "localhost")
        monkeypatch.setenv("no_proxy", "localhost")
        assert run_cli(capsys, *run, f"u=http://localhost:{target.port}")[0] == 0
        assert proxy.passed == []  # NO_PROXY host: direct
        assert run_cli(capsys, *run, f"u={target.url}")[0] == 0
        assert [p.target for p in proxy.passed] == [f"{target.url}/a"]  # 127.0.0.1 is not exempt
        assert [r.target for r in target.requests] == ["/a", "/a", "/a"]


def test_unreachable_proxy_is_a_failed_request(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = refused_port()
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{dead}")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "")
    file = write_collection(tmp_path, [get_item("a", "http://127.0.0.1:1/a")])
    status, _, err = run_cli(capsys, "run", file)
    assert status == 1 and err.count("\n") == 1
    assert "a: " in err and "proxy" in err


# --------------------------------------------------------------------------- time limits


class _TrickleHandler(socketserver.BaseRequestHandler):
    """``/fast`` answers at once; ``/endless`` trickles a body that never ends; any other path a body of
    ``size`` bytes, one byte every ``gap`` seconds."""

    server: _TrickleTCPServer

    def handle(self) -> None:
        rfile = self.request.makefile("rb")
        try:
            head = read_head(rfile)
            if head is None:
                return
            size, gap = self.server.size, self.server.gap
            if head.target == "/fast":
                size, gap = 2, 0.0
            elif head.target == "/endless":
                size = 10**9
            # One request per connection, and said so: without "Connection: close" the client may send the
            # next request on this connection before it sees the close (a reset, then a failed request).
            self.request.sendall(
                f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n".encode()
            )
            for _ in range(size):
                time.sleep(gap)
                self.request.sendall(b".")
        except OSError:
            return
        finally:
            rfile.close()


class _TrickleTCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, size: int, gap: float) -> None:
        self.size, self.gap = size, gap
        super().__init__(("127.0.0.1", 0), _TrickleHandler)

    def handle_error(self, request: object, client_address: object) -> None:
        """The client giving up mid-body is what these tests provoke."""


# Every time limit below is at least ten times the gap between two bytes, so a loaded machine (late server
# threads) cannot turn a trickle into a silence; and the bodies that must be cut off never end, so no
# assertion depends on how fast the machine is: only on the order of events and generous upper bounds.
GAP = 0.05
ENOUGH = 60.0  # seconds: "finished at all" rather than "finished quickly"


@pytest.fixture
def trickle() -> Iterator[str]:
    server = _TrickleTCPServer(size=20, gap=GAP)  # 1 s in all, 50 ms between bytes
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_timeout_request_limits_each_read_not_the_whole_response(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, trickle: str
) -> None:
    """Documented (docs/replay.md): 1 s of body in 50 ms steps passes a 500 ms --timeout-request."""
    file = write_collection(tmp_path, [get_item("slow body", "{{u}}/x")])
    start = time.monotonic()
    status, out, err = run_cli(capsys, "run", file, "--var", f"u={trickle}", "--timeout-request", "500")
    assert status == 0, err
    assert out == "200\n" + "." * 20 + "\n"
    assert time.monotonic() - start >= 20 * GAP * 0.9  # the server sleeps that long: a lower bound only


@pytest.mark.slow
def test_run_timeout_cuts_a_response_in_progress_and_reports_are_complete(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, trickle: str
) -> None:
    """A fast request, then a body that never ends, under --timeout 3000: the second is cut off when the run's
    time runs out although a byte arrives every 50 ms, the third is not sent, exit 1, every report written."""
    items = [
        get_item("first", "{{u}}/fast"),
        get_item("second", "{{u}}/endless"),
        get_item("third", "{{u}}/fast"),
    ]
    file = write_collection(tmp_path, items)
    reports = tmp_path / "reports"
    start = time.monotonic()
    status, out, err = run_cli(
        capsys,
        "run",
        file,
        "--var",
        f"u={trickle}",
        "--timeout",
        "3000",
        "--reporter-json-export",
        str(reports / "r.json"),
        "--reporter-junit-export",
        str(reports / "r.xml"),
        "--reporter-html-export",
        str(reports / "r.html"),
    )
    assert time.monotonic() - start < ENOUGH
    assert status == 1
    assert "Traceback" not in out + err
    assert (reports / "r.xml").read_text().count("<testcase") == 2
    assert "--timeout ran out" in (reports / "r.html").read_text()
    report = json.loads((reports / "r.json").read_text())
    assert report["summary"]["timed_out"] is True
    assert [e["item"][-1] for e in report["executions"]] == ["first", "second"]
    first, second = report["executions"]
    assert first["failure"] is None
    assert second["failure"]["kind"] == "run-timeout"
    assert "run time limit reached" in second["failure"]["message"]
    assert second["response"] is None
    [failure] = [f for f in report["failures"] if f["kind"] == "run-timeout"]
    assert "--timeout 3000 ms" in failure["message"]


def test_a_deadline_cuts_a_trickled_body_and_closes_the_connection(trickle: str) -> None:
    """At the transport: each byte arrives well within the read limit, the deadline still ends the read."""
    request = ResolvedRequest(path=("t",), method="GET", url=f"{trickle}/endless", headers=(), body=NoBody())
    with Transport(TransportOptions(timeout_ms=5000)) as transport:
        start = time.monotonic()
        with pytest.raises(SendError) as exc:
            transport.send(request, deadline=start + 0.5)
        assert 0.45 <= time.monotonic() - start < ENOUGH
        assert (exc.value.kind, exc.value.message) == (FailureKind.TIMEOUT, RUN_LIMIT_REASON)


def test_passphrase_from_the_environment(mtls_run: object, pki: Pki, monkeypatch: pytest.MonkeyPatch) -> None:
    """A passphrase on the command line is visible in ``ps``: it can come from the environment instead."""
    args = ("--ssl-client-cert", pki.cert, "--ssl-client-key", pki.encrypted_key)
    monkeypatch.setenv("MY_KEY_PASS", PASSPHRASE)
    status, out, err = mtls_run(*args, "--ssl-client-passphrase-env", "MY_KEY_PASS")  # type: ignore[operator]
    assert (status, err) == (0, "") and out.startswith("200\n")
    monkeypatch.setenv("POSTMAN_GEN_SSL_CLIENT_PASSPHRASE", PASSPHRASE)
    status, out, err = mtls_run(*args)  # type: ignore[operator]
    assert (status, err) == (0, "") and out.startswith("200\n")
    monkeypatch.delenv("POSTMAN_GEN_SSL_CLIENT_PASSPHRASE")
    status, _, err = mtls_run(*args, "--ssl-client-passphrase-env", "NOT_SET_ANYWHERE")  # type: ignore[operator]
    assert status == 2 and "NOT_SET_ANYWHERE is not set" in err
