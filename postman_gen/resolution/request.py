"""The resolved request: the one immutable value that ``show``, replay and every code template consume.

Everything a back end needs is computed here once, by ``resolve``: the final method, the URL exactly as
it goes on the wire (percent-encoded, query included, fragment dropped), ordered headers with duplicates
(Content-Type and static auth included, each tagged with where it came from), the body in one of five
shapes, the auth that must be computed at send time, and transport settings. No back end re-derives any
of it; a back end that cannot express something says so, it does not guess.
"""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urlsplit

from postman_gen.errors import Diagnostic
from postman_gen.resolution.auth_kinds import COMPUTED
from postman_gen.resolution.placeholders import Placeholder
from postman_gen.resolution.var_mode import VarMode as VarMode  # its home, re-exported


class HeaderOrigin(str, Enum):
    REQUEST = "request"  # written in the request's header list
    AUTH = "auth"  # added by static auth (basic, bearer, apikey, oauth2 token)
    BODY = "body"  # implied by the body (Content-Type), as Postman adds it


@dataclass(frozen=True, slots=True)
class Header:
    name: str
    value: str
    origin: HeaderOrigin = HeaderOrigin.REQUEST

    @property
    def secret(self) -> bool:
        """Whether ``show`` and logs mask the value unless ``--show-secrets``."""
        return self.origin is HeaderOrigin.AUTH or self.name.lower() in SECRET_HEADER_NAMES


SECRET_HEADER_NAMES = frozenset(
    {"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "apikey", "x-auth-token"}
)


@dataclass(frozen=True, slots=True)
class NoBody:
    @property
    def kind(self) -> str:
        return "none"


@dataclass(frozen=True, slots=True)
class RawBody:
    """A text body sent as its UTF-8 bytes. ``language`` is Postman's raw language or "graphql"."""

    text: str
    language: str | None = None

    @property
    def kind(self) -> str:
        return "raw"

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8")


@dataclass(frozen=True, slots=True)
class FormBody:
    """``application/x-www-form-urlencoded``: the fields, and ``encoded`` exactly as sent."""

    fields: tuple[tuple[str, str], ...]
    encoded: str

    @property
    def kind(self) -> str:
        return "urlencoded"

    @property
    def data(self) -> bytes:
        return self.encoded.encode("ascii")


@dataclass(frozen=True, slots=True)
class MultipartPart:
    """A formdata part: text (``value``) or a file (``file_path``, absolute; ``filename`` as sent)."""

    name: str
    value: str | None = None
    file_path: str | None = None
    filename: str | None = None
    content_type: str | None = None

    @property
    def is_file(self) -> bool:
        return self.file_path is not None

    @property
    def sent_type(self) -> str | None:
        """The Content-Type ``run`` sends for this part: the collection's, else for a file the type of its
        name's extension (``text/plain`` for ``.txt``, ``application/octet-stream`` when unknown), as
        urllib3's ``guess_content_type`` gives it; a text part without one has none."""
        if self.content_type or not self.is_file:
            return self.content_type
        return mimetypes.guess_type(self.filename or "")[0] or "application/octet-stream"


@dataclass(frozen=True, slots=True)
class MultipartBody:
    """``multipart/form-data``; the boundary is chosen by the client at send time."""

    parts: tuple[MultipartPart, ...]

    @property
    def kind(self) -> str:
        return "formdata"


@dataclass(frozen=True, slots=True)
class FileBody:
    """The bytes of one file (``path`` absolute), sent as they are."""

    path: str

    @property
    def kind(self) -> str:
        return "file"

    @property
    def filename(self) -> str:
        return os.path.basename(self.path)


Body = NoBody | RawBody | FormBody | MultipartBody | FileBody


@dataclass(frozen=True, slots=True)
class AuthInfo:
    """The effective auth, with every parameter resolved to text.

    Static auth (basic, bearer, apikey, oauth2 with a token) is *also* already in ``headers`` or the URL;
    templates may use this to write the target's native form. ``computed`` auth is not in the headers:
    replay signs at send time, templates render the target's native form or a warning.
    """

    type: str
    params: tuple[tuple[str, str], ...]
    source: str = "request"  # "request", "folder:<name>" or "collection": where it was inherited from

    @property
    def computed(self) -> bool:
        return self.type in COMPUTED

    def get(self, key: str, default: str = "") -> str:
        for name, value in self.params:
            if name == key:
                return value
        return default

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.get(key, "")
        return default if value == "" else value.lower() == "true"


@dataclass(frozen=True, slots=True)
class Settings:
    """Transport settings from ``protocolProfileBehavior`` (None: the run's default)."""

    follow_redirects: bool | None = None
    max_redirects: int | None = None
    strict_ssl: bool | None = None
    disable_cookies: bool = False
    follow_original_method: bool = False
    follow_authorization_header: bool = False


@dataclass(frozen=True, slots=True)
class ResolvedRequest:
    path: tuple[str, ...]  # folder names + item name
    method: str
    url: str  # as sent: percent-encoded, query included, no fragment
    headers: tuple[Header, ...] = ()
    body: Body = field(default_factory=NoBody)
    auth: AuthInfo | None = None
    settings: Settings = field(default_factory=Settings)
    id: str | None = None
    where: str = ""  # JSON location of the item
    placeholders: tuple[Placeholder, ...] = ()  # tokens in strings (VarMode KEEP/ENV only)
    var_mode: VarMode = VarMode.INLINE
    has_scripts: bool = False
    description: str | None = None
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else ""

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme

    @property
    def netloc(self) -> str:
        """``host[:port]`` as the Host header carries it (userinfo removed)."""
        return urlsplit(self.url).netloc.rpartition("@")[2]

    @property
    def target(self) -> str:
        """The request target of the request line: path and query, exactly as sent."""
        parts = urlsplit(self.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query or self.url.endswith("?") else "")

    @property
    def origin(self) -> str:
        """``scheme://host[:port]``, without userinfo."""
        return f"{self.scheme}://{self.netloc}"

    def header(self, name: str) -> str | None:
        """The first value of a header, by case-insensitive name."""
        lower = name.lower()
        for h in self.headers:
            if h.name.lower() == lower:
                return h.value
        return None
