"""The auth table is the one place auth is described: schemas, target manifests, masking and the ``auth``
extra all agree with it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from postman_gen.resolution.auth_kinds import AUTH_KINDS, COMPUTED, KNOWN, STATIC, secret_query_name
from postman_gen.resolution.request import AuthInfo
from postman_gen.views.masking import mask_url

ROOT = Path(__file__).resolve().parent.parent
MANIFESTS = sorted((ROOT / "templates").glob("*/target.json"))
SCHEMAS = sorted((ROOT / "postman_gen" / "collection" / "schemas").glob("collection-*.json"))


@pytest.mark.parametrize("manifest", MANIFESTS, ids=[m.parent.name for m in MANIFESTS])
def test_every_target_manifest_places_each_sent_auth_once(manifest: Path) -> None:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    native, unsupported = set(data.get("native_auth", ())), set(data.get("unsupported_auth", ()))
    assert not native & unsupported, "an auth is both native and unsupported"
    assert native | unsupported == STATIC | COMPUTED, "every auth postman-gen sends is native or unsupported"
    assert STATIC <= native, "static auth is in the headers or URL already: every target sends it"


@pytest.mark.parametrize("schema", SCHEMAS, ids=[s.name for s in SCHEMAS])
def test_the_schemas_accept_exactly_the_known_kinds(schema: Path) -> None:
    auth = json.loads(schema.read_text(encoding="utf-8"))["$defs"]["auth"]
    assert tuple(auth["properties"]["type"]["enum"]) == KNOWN


def test_each_signing_library_is_in_the_extra_the_error_names() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")  # (tomllib is Python 3.11+)
    for kind in COMPUTED:
        signer = AUTH_KINDS[kind].signer
        assert signer is not None, kind
        if signer.extra is None:
            continue
        line = re.search(rf"^{signer.extra} = \[(.*)\]$", pyproject, re.MULTILINE)
        assert line is not None, signer.extra
        packages = [re.split(r"[<>=\[; ]", r.strip(' "'), maxsplit=1)[0] for r in line.group(1).split(",")]
        assert signer.package in packages, kind
    assert all(AUTH_KINDS[k].signer is None for k in STATIC)


def test_query_placed_auth_is_masked_by_the_table() -> None:
    apikey = AuthInfo("apikey", (("key", "k"), ("value", "s3cret"), ("in", "query")))
    oauth2 = AuthInfo("oauth2", (("accessToken", "t0k"), ("addTokenTo", "queryParams")))
    assert secret_query_name("apikey", apikey.get) == "k"
    assert secret_query_name("oauth2", oauth2.get) == "access_token"
    assert secret_query_name("bearer", AuthInfo("bearer", ()).get) is None
    assert mask_url("http://h/?k=s3cret&a=1", apikey) == "http://h/?k=****&a=1"
    assert mask_url("http://h/?access_token=t0k", oauth2) == "http://h/?access_token=****"
