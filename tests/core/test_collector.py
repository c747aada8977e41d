"""Cyclic garbage is looked for less often while bulk work runs, and as before after."""

import gc
import threading
import weakref

import pytest

from dossier.core.collector import BULK_THRESHOLDS, fewer_collections
from dossier.core.models import Property
from dossier.imports.services import (
    import_commit,
    import_preview,
    job_create_from_bytes,
)
from tests.imports.conftest import ID_ZHANG, csv_bytes


@pytest.fixture(autouse=True)
def _usual_thresholds() -> object:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_the_bulk_thresholds_hold_inside_and_the_usual_ones_return() -> None:
    # when
    with fewer_collections():
        inside = gc.get_threshold()

    # then
    assert inside == BULK_THRESHOLDS
    assert gc.get_threshold() == (700, 10, 10)


def test_what_existed_before_is_frozen_inside_and_thawed_after() -> None:
    # when
    with fewer_collections():
        frozen_inside = gc.get_freeze_count()

    # then
    assert frozen_inside > 0
    assert gc.get_freeze_count() == 0


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_garbage_with_cycles_is_still_collected_inside() -> None:
    with fewer_collections():
        # given two objects that refer to each other and to nothing else
        first, second = Node(), Node()
        first.other, second.other = second, first
        gone = weakref.ref(first)
        del first, second

        # when as many new objects are kept as a young collection waits for
        kept = [[n] for n in range(2 * BULK_THRESHOLDS[0])]

        # then
        assert gone() is None
        assert len(kept) == 2 * BULK_THRESHOLDS[0]


def test_the_usual_thresholds_return_after_a_failure() -> None:
    # when
    with pytest.raises(ValueError, match="broken"), fewer_collections():
        raise ValueError("broken")

    # then
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() == 0


def test_overlapping_blocks_restore_only_when_the_last_ends() -> None:
    # given one block entered in another thread, which waits
    entered, leave = threading.Event(), threading.Event()

    def other() -> None:
        with fewer_collections():
            entered.set()
            leave.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    entered.wait(5)

    # when this thread's block ends first
    with fewer_collections():
        pass
    while_other_runs = gc.get_threshold()
    leave.set()
    thread.join(5)

    # then the bulk thresholds held until the other block ended
    assert while_other_runs == BULK_THRESHOLDS
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.django_db
def test_an_import_checks_its_rows_with_the_bulk_thresholds(prop: Property) -> None:
    # given
    data = csv_bytes([["姓名", "身份证号"], ["张伟", ID_ZHANG], ["李娜", ""]])
    job = job_create_from_bytes(
        actor=None, property=prop, kind="guests", data=data, name="guests.csv"
    )
    seen: set[tuple[int, int, int]] = set()

    def listener(phase: str, done: int, total: int) -> None:
        seen.add(gc.get_threshold())

    # when it is previewed and committed
    import_preview(job=job, progress=listener)
    import_commit(job=job, actor=None, progress=listener)

    # then the rows were checked under the bulk thresholds, restored after
    assert BULK_THRESHOLDS in seen
    assert gc.get_threshold() == (700, 10, 10)
