"""render/gcpause.py: the collector is off inside, as it was afterwards, also after an error; cycles made
inside are collected once it is back on."""

from __future__ import annotations

import gc
import weakref

import pytest

from postman_gen.render.gcpause import paused


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_paused_then_restored_and_cycles_collected() -> None:
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block does not turn it back on early
        node = _Node()
        ref = weakref.ref(node)
        del node
    assert gc.isenabled()
    gc.collect()
    assert ref() is None


def test_restored_after_an_error_and_left_off_when_it_was_off() -> None:
    with pytest.raises(ValueError), paused():
        raise ValueError("x")
    assert gc.isenabled()
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
