"""Every corpus collection replays against the capture server without a crash.

Each item is resolved as written, then its origin is replaced by the capture server's (nothing leaves
127.0.0.1) and it is sent with the replay transport; a request may fail (a missing body file, say) but
only with a classified ``SendError``, never an unexpected exception.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import postman_gen
from postman_gen.collection.selection import select
from postman_gen.errors import PostmanGenError
from postman_gen.replay import SendError, Transport, TransportOptions
from postman_gen.resolution.resolver import resolve
from tests.servers import CaptureServer

pytestmark = pytest.mark.slow  # runs generated code, linters or a whole corpus

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
FILES = sorted(CORPUS.glob("*.postman_collection.json")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not FILES, reason="corpus absent")
@pytest.mark.parametrize("file", FILES, ids=[f.name for f in FILES])
def test_corpus_replays_without_crash(file: Path) -> None:
    try:
        collection = postman_gen.load(file)
    except PostmanGenError:
        pytest.skip("collection does not load (covered by the loader's tests)")
    with (
        CaptureServer() as server,
        Transport(TransportOptions(timeout_ms=5000, use_proxy_env=False)) as transport,
    ):
        sent = 0
        for chosen in select(collection)[:60]:
            try:
                request = resolve(collection, chosen.folders, chosen.item)
            except PostmanGenError:
                continue
            parts = urlsplit(request.url)
            local = server.url + request.url[len(f"{parts.scheme}://{parts.netloc}") :]
            try:
                transport.send(replace(request, url=local))
                sent += 1
            except SendError:
                pass
        assert len(server.requests) >= sent
