"""Property-based tests: random and mutated inputs to every reader give a result or one `error` line, never
another exception. benchmarks/fuzz.py runs the same readers on 10,000 examples each."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from fuzz_targets import READERS, cleanup, outcome

EXAMPLES = 300


@pytest.fixture(scope="module", autouse=True)
def _cleanup():
    yield
    cleanup()


def _case(name: str):
    target, strategy = READERS[name]

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
    @given(strategy)
    def check(data: bytes) -> None:
        assert outcome(target, data) in ("read", "refused")

    return check


@pytest.mark.parametrize("name", sorted(READERS))
def test_reader_never_raises_anything_but_a_one_line_error(name: str) -> None:
    _case(name)()
