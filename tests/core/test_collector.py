"""Bulk jobs run with the cyclic collector relaxed, and leave it as they found it."""

import gc
import weakref

import pytest

from dossier.core.collector import BULK_THRESHOLDS, bulk_collection


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_a_bulk_job_relaxes_the_collector_and_restores_it() -> None:
    # given
    before = gc.get_threshold()

    # when
    with bulk_collection():
        during = gc.get_threshold(), gc.get_freeze_count()

    # then
    assert during[0] == BULK_THRESHOLDS
    assert during[1] > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_failed_bulk_job_restores_the_collector() -> None:
    # given
    before = gc.get_threshold()

    # when
    with pytest.raises(ValueError), bulk_collection():
        raise ValueError

    # then
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_garbage_with_cycles_is_still_collected_during_a_bulk_job() -> None:
    with bulk_collection():
        # given two objects that refer to each other and to nothing else
        first, second = Node(), Node()
        first.other, second.other = second, first
        gone = weakref.ref(first)
        del first, second

        # when the job keeps as many new objects as a young collection waits for
        kept = [[n] for n in range(2 * BULK_THRESHOLDS[0])]

        # then
        assert gone() is None
        assert len(kept) == 2 * BULK_THRESHOLDS[0]
