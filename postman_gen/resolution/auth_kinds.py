"""Every kind of Postman auth in one table: what it is, what is secret in it, where it goes, who signs it.

Static auth (basic, bearer, apikey, oauth2 with a token) is folded into the resolved request's headers or
URL by the resolver. Computed auth needs the final bytes, a server challenge or the clock, so it is kept
as typed parameters and signed when the request is sent, by ``requests`` itself (digest) or by a small
maintained library from the ``auth`` extra. The loader, the resolver, masking, report records, replay's
signers and the code-generation targets all read this table, and tests/test_auth_kinds.py checks each
target manifest (``native_auth``/``unsupported_auth``) against it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "AUTH_KINDS",
    "COMPUTED",
    "KNOWN",
    "STATIC",
    "AuthKind",
    "QueryPlacement",
    "Signer",
    "secret_params",
    "secret_query_name",
]


@dataclass(frozen=True, slots=True)
class QueryPlacement:
    """Static auth that goes in the query string when parameter ``switch`` is ``value``.

    The query parameter is named by the auth parameter ``name_param`` (apikey's ``key``), else ``name``.
    """

    switch: str
    value: str
    name: str = ""
    name_param: str = ""


@dataclass(frozen=True, slots=True)
class Signer:
    """The library that computes an auth at send time: a module to import and the package that holds it."""

    module: str
    package: str
    extra: str | None  # the postman-gen extra that installs it (None: a core dependency)


@dataclass(frozen=True, slots=True)
class AuthKind:
    name: str
    computed: bool  # signed when sent (True) or folded into headers/query by the resolver (False)
    sent: bool = True  # False: Postman knows it, postman-gen sends the request without it and warns
    secret: frozenset[str] = frozenset()  # parameters whose values are masked in output
    query: QueryPlacement | None = None  # static auth that may go in the query string
    signer: Signer | None = None  # computed auth: who signs it


_AUTH_EXTRA = "auth"

AUTH_KINDS: Mapping[str, AuthKind] = MappingProxyType(
    {
        k.name: k
        for k in (
            AuthKind("noauth", computed=False),
            AuthKind("basic", computed=False, secret=frozenset({"password"})),
            AuthKind("bearer", computed=False, secret=frozenset({"token"})),
            AuthKind(
                "apikey",
                computed=False,
                secret=frozenset({"value"}),
                query=QueryPlacement(switch="in", value="query", name_param="key"),
            ),
            AuthKind(
                "digest",
                computed=True,
                secret=frozenset({"password"}),
                signer=Signer("requests.auth", "requests", None),
            ),
            AuthKind(
                "oauth1",
                computed=True,
                secret=frozenset({"consumerSecret", "tokenSecret", "privateKey"}),
                signer=Signer("oauthlib.oauth1", "oauthlib", _AUTH_EXTRA),
            ),
            AuthKind(
                "oauth2",
                computed=False,
                secret=frozenset({"accessToken", "clientSecret", "refreshToken", "password"}),
                query=QueryPlacement(switch="addTokenTo", value="queryParams", name="access_token"),
            ),
            AuthKind(
                "awsv4",
                computed=True,
                secret=frozenset({"secretKey", "sessionToken"}),
                signer=Signer("requests_aws4auth", "requests-aws4auth", _AUTH_EXTRA),
            ),
            AuthKind(
                "hawk",
                computed=True,
                secret=frozenset({"authKey"}),
                signer=Signer("mohawk", "mohawk", _AUTH_EXTRA),
            ),
            AuthKind(
                "ntlm",
                computed=True,
                secret=frozenset({"password"}),
                signer=Signer("requests_ntlm", "requests-ntlm", _AUTH_EXTRA),
            ),
            AuthKind(
                "edgegrid",
                computed=True,
                secret=frozenset({"clientSecret", "accessToken", "clientToken"}),
                signer=Signer("akamai.edgegrid", "edgegrid-python", _AUTH_EXTRA),
            ),
            AuthKind("jwt", computed=False, sent=False),
            AuthKind("asap", computed=False, sent=False),
        )
    }
)

KNOWN: tuple[str, ...] = tuple(AUTH_KINDS)  # every type a collection may name, in Postman's order
STATIC = frozenset(k.name for k in AUTH_KINDS.values() if k.sent and not k.computed and k.name != "noauth")
COMPUTED = frozenset(k.name for k in AUTH_KINDS.values() if k.computed)


def secret_params(kind: str) -> frozenset[str]:
    """The parameters of auth ``kind`` whose values are secrets (none for an unknown kind)."""
    entry = AUTH_KINDS.get(kind)
    return entry.secret if entry is not None else frozenset()


def secret_query_name(kind: str, get: Callable[[str], str]) -> str | None:
    """The query parameter that auth ``kind`` (parameters read with ``get``) puts its secret in, if any."""
    entry = AUTH_KINDS.get(kind)
    placement = entry.query if entry is not None else None
    if placement is None or get(placement.switch) != placement.value:
        return None
    return get(placement.name_param) if placement.name_param else placement.name
