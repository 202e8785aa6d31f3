"""The one query-count helper: a block runs exactly (or at most) N queries, and a failure
lists every query it ran, so the failure explains itself (as Zulip's tests do)."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def listing(context: CaptureQueriesContext) -> str:
    return "\n".join(f"{n}. {q['sql']}" for n, q in enumerate(context.captured_queries, 1))


@contextmanager
def queries(expected: int, *, at_most: bool = False) -> Iterator[CaptureQueriesContext]:
    """Assert the block runs exactly `expected` queries (or no more, with at_most)."""
    with CaptureQueriesContext(connection) as context:
        yield context
    count = len(context)
    wrong = count > expected if at_most else count != expected
    if wrong:
        wanted = f"at most {expected}" if at_most else f"exactly {expected}"
        pytest.fail(f"{count} queries, expected {wanted}:\n{listing(context)}", pytrace=False)
