"""Masking masks credentials where they are, not every occurrence of their value, and keeps the causes of a
401 readable (an empty or unresolved credential)."""

from __future__ import annotations

from postman_gen.replay.records import secrets_of
from postman_gen.resolution.request import AuthInfo, Header, HeaderOrigin, RawBody, ResolvedRequest
from postman_gen.views.masking import mask_json_fields, mask_text, mask_value, redact
from postman_gen.views.wire import request_text


def _request(token: str, body: str = "") -> ResolvedRequest:
    return ResolvedRequest(
        path=("t",),
        method="POST",
        url="http://h/x",
        headers=(Header("Authorization", f"Bearer {token}", HeaderOrigin.AUTH),),
        body=RawBody(body),
        auth=AuthInfo("bearer", (("token", token),)),
    )


def test_empty_and_unresolved_credentials_stay_readable() -> None:
    assert mask_value("Bearer ") == "Bearer <empty>"
    assert mask_value("Bearer {{token}}") == "Bearer {{token}} (unresolved)"
    assert mask_value("Bearer abc") == "Bearer ****"
    assert mask_value("") == "<empty>" and mask_value("k-123") == "****"
    assert "Authorization: Bearer <empty>\n" in request_text(_request(""))
    assert "Authorization: Bearer {{token}} (unresolved)\n" in request_text(_request("{{token}}"))


def test_a_short_or_common_token_does_not_mask_unrelated_text() -> None:
    """A token ``true`` must not turn ``"blocked": true`` into ``"blocked": ****``; its echo with the scheme
    (``Bearer true``) is still masked, and so is a real token wherever it stands as a whole."""
    echoed = '{"blocked": true, "headers": [["Authorization", "Bearer true"]]}'
    assert mask_text(echoed, secrets_of(_request("true"))) == (
        '{"blocked": true, "headers": [["Authorization", "Bearer ****"]]}'
    )
    token = "eyJhbGciOiJIUzI1NiJ9.abc"
    text = f'token={token}; x{token}; "{token}"'
    assert redact(text, secrets_of(_request(token))) == f'token=****; x{token}; "****"'


def test_secret_named_json_fields_are_masked_in_place() -> None:
    body = (
        '{\n  "password": "hunter2",\n "u": "a",\n  "refresh_token":"r1", "client_secret": "", "k": "{{t}}"}'
    )
    assert mask_json_fields(body) == (
        '{\n  "password": "****",\n "u": "a",\n  "refresh_token":"****", "client_secret": "", "k": "{{t}}"}'
    )
    shown = request_text(_request("tok", '{"client_secret": "s3cr3t", "grant_type": "password"}'))
    assert shown.endswith('{"client_secret": "****", "grant_type": "password"}')
    assert "s3cr3t" in request_text(_request("tok", '{"client_secret": "s3cr3t"}'), show_secrets=True)
