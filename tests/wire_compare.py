"""``assert_sent_matches``: did what reached the server equal the resolved request?

Shared by the replay tests and the code-generation fidelity tests; the comparison itself is
``postman_gen.verify.compare`` (what ``postman-gen verify`` reports): the method, the request target byte
for byte, every header of the resolved request in order, and the body bytes (multipart part by part).
"""

from __future__ import annotations

from collections.abc import Iterable

from postman_gen.resolution.request import ResolvedRequest
from postman_gen.verify.compare import CLIENT_EXTRA, COMPUTED_AUTH_EXTRA, difference, expected_body

__all__ = ["CLIENT_EXTRA", "COMPUTED_AUTH_EXTRA", "assert_sent_matches", "expected_body"]


def assert_sent_matches(
    captured: object,
    resolved: ResolvedRequest,
    allowed_extra: Iterable[str] = CLIENT_EXTRA,
    *,
    fold_name_case: bool = False,
) -> None:
    """Fail with a precise message unless ``captured`` (a ``tests.servers.Captured``) is ``resolved``."""
    problem = difference(captured, resolved, allowed_extra, fold_name_case=fold_name_case)
    assert problem is None, problem
