"""Auth computed when a request is sent: digest, oauth1, awsv4, hawk, edgegrid, ntlm.

Static auth (basic, bearer, apikey, oauth2 token) is already in the resolved request's headers or URL;
only these six need the final bytes, a server challenge or the clock. Digest uses ``requests`` itself;
the others use small maintained libraries that are optional extras, imported only when a request needs
them, and a missing one is named in the failure (``pip install 'postman-gen[auth]'``).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import requests
from requests.auth import AuthBase, HTTPDigestAuth

from postman_gen.errors import SendError
from postman_gen.replay.outcome import FailureKind
from postman_gen.resolution.auth_kinds import AUTH_KINDS
from postman_gen.resolution.request import AuthInfo, ResolvedRequest


class AuthError(SendError):
    """Computed auth that cannot be applied (missing extra, bad parameters)."""

    def __init__(self, message: str) -> None:
        super().__init__(FailureKind.AUTH, message)


def _module(auth_type: str) -> ModuleType:
    signer = AUTH_KINDS[auth_type].signer
    assert signer is not None, f"{auth_type} is not computed auth"
    try:
        return importlib.import_module(signer.module)
    except ImportError as exc:
        extra = signer.extra or "auth"
        raise AuthError(
            f"{auth_type} auth needs the {signer.package!r} package: pip install 'postman-gen[{extra}]'"
        ) from exc


def _body_bytes(prepared: requests.PreparedRequest) -> bytes:
    body = prepared.body
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes):
        return body
    raise AuthError("this auth signs the body, which cannot be read ahead for a file body")


def _header_text(prepared: requests.PreparedRequest, name: str) -> str:
    value = prepared.headers.get(name) or ""
    return value.decode("utf-8") if isinstance(value, bytes) else value


class _OAuth1(AuthBase):
    """OAuth 1.0a signature (oauthlib), in the Authorization header or the query string as Postman puts it."""

    def __init__(self, auth: AuthInfo) -> None:
        self.auth = auth
        self.oauth1 = _module("oauth1")

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        a, o = self.auth, self.oauth1
        in_header = a.flag("addParamsToHeader", True)
        client = o.Client(
            a.get("consumerKey"),
            client_secret=a.get("consumerSecret") or None,
            resource_owner_key=a.get("token") or None,
            resource_owner_secret=a.get("tokenSecret") or None,
            callback_uri=a.get("callback") or None,
            signature_method=a.get("signatureMethod") or "HMAC-SHA1",
            signature_type=o.SIGNATURE_TYPE_AUTH_HEADER if in_header else o.SIGNATURE_TYPE_QUERY,
            rsa_key=a.get("privateKey") or None,
            verifier=a.get("verifier") or None,
            realm=a.get("realm") or None,
            nonce=a.get("nonce") or None,
            timestamp=a.get("timestamp") or None,
        )
        form = _header_text(r, "Content-Type").startswith("application/x-www-form-urlencoded")
        body = _body_bytes(r).decode("utf-8") if form else None
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if form else {}
        try:
            url, signed, _ = client.sign(r.url, r.method, body, headers)
        except (ValueError, TypeError) as exc:
            raise AuthError(f"oauth1: {exc}") from exc
        if in_header:
            r.headers["Authorization"] = signed["Authorization"]
        else:
            r.url = url
        return r


class _Hawk(AuthBase):
    def __init__(self, auth: AuthInfo) -> None:
        self.auth = auth
        self.mohawk = _module("hawk")

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        a = self.auth
        credentials = {
            "id": a.get("authId"),
            "key": a.get("authKey"),
            "algorithm": a.get("algorithm") or "sha256",
        }
        hash_payload = a.flag("includePayloadHash", False)
        kwargs: dict[str, Any] = {"always_hash_content": hash_payload}
        if hash_payload:
            kwargs.update(content=_body_bytes(r), content_type=_header_text(r, "Content-Type"))
        timestamp = a.get("timestamp")
        try:
            sender = self.mohawk.Sender(
                credentials,
                r.url,
                r.method,
                nonce=a.get("nonce") or None,
                ext=a.get("extraData") or None,
                app=a.get("app") or None,
                dlg=a.get("delegation") or None,
                _timestamp=int(timestamp) if timestamp.isdigit() else None,
                **kwargs,
            )
        except Exception as exc:  # mohawk raises its own HawkFail family and ValueErrors for bad credentials
            raise AuthError(f"hawk: {exc}") from exc
        r.headers["Authorization"] = sender.request_header
        return r


def _aws(auth: AuthInfo) -> AuthBase:
    module = _module("awsv4")
    token = auth.get("sessionToken") or None
    for key in ("accessKey", "region", "service", "sessionToken"):
        if not auth.get(key).isascii():  # each goes into a header: only ASCII is sent as written
            raise AuthError(f"awsv4: {key} holds characters other than ASCII; it cannot go in a header")
    return module.AWS4Auth(
        auth.get("accessKey"),
        auth.get("secretKey"),
        auth.get("region") or "us-east-1",
        auth.get("service") or "execute-api",
        session_token=token,
    )


class _EdgeGrid(AuthBase):
    """Akamai EdgeGrid (edgegrid-python); a ``timestamp``/``nonce`` the collection fixes is used as given,
    as Newman does (a deterministic signature), else the library makes fresh ones."""

    def __init__(self, auth: AuthInfo) -> None:
        _module("edgegrid")
        self.edgegrid = importlib.import_module("akamai.edgegrid.edgegrid")
        names = tuple(n.strip() for n in auth.get("headersToSign").split(",") if n.strip())
        self.inner = self.edgegrid.EdgeGridAuth(
            client_token=auth.get("clientToken"),
            client_secret=auth.get("clientSecret"),
            access_token=auth.get("accessToken"),
            headers_to_sign=names,
        )
        self.timestamp, self.nonce = auth.get("timestamp"), auth.get("nonce")

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        if not (self.timestamp or self.nonce):
            return self.inner(r)
        timestamp = self.timestamp or self.edgegrid.eg_timestamp()
        nonce = self.nonce or self.edgegrid.new_nonce()
        r.headers["Authorization"] = self.inner.ah.make_auth_header(r, timestamp, nonce)
        r.register_hook("response", self.inner.handle_redirect)
        return r


def _ntlm(auth: AuthInfo) -> AuthBase:
    module = _module("ntlm")
    user = auth.get("username")
    domain = auth.get("domain")
    return module.HttpNtlmAuth(f"{domain}\\{user}" if domain else user, auth.get("password"))


def auth_for(request: ResolvedRequest) -> AuthBase | None:
    """The requests auth object for the request's computed auth, or None (static auth is already applied)."""
    auth = request.auth
    if auth is None or not auth.computed:
        return None
    if auth.type == "digest":
        return HTTPDigestAuth(auth.get("username"), auth.get("password"))
    if auth.type == "oauth1":
        return _OAuth1(auth)
    if auth.type == "hawk":
        return _Hawk(auth)
    if auth.type == "awsv4":
        return _aws(auth)
    if auth.type == "edgegrid":
        return _EdgeGrid(auth)
    if auth.type == "ntlm":
        return _ntlm(auth)
    raise AuthError(f"{auth.type} auth is not supported by replay")
