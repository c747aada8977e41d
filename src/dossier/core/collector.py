"""How often Python looks for cyclic garbage while bulk work (an import, a scan) runs.

A part of an import file makes hundreds of thousands of small objects (cells, rows,
guests, key rows) that live until the part is written and are then freed by reference
counting. With Python's default thresholds the cyclic collector still ran after every
700 new objects, and every few hundred runs walked every object the process holds:
during an import that was a fifth to a quarter of all the CPU. While bulk work runs,
what existed before it (modules, Django, caches) is left out of collections and young
objects are looked at after ``BULK_THRESHOLDS[0]`` new ones; cycles are still freed.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BULK_THRESHOLDS = (50_000, 20, 10)


class _Pacing:
    """The thresholds to restore, held while any bulk work runs (several threads
    of one server may each run an import)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.saved: tuple[int, int, int] = gc.get_threshold()


_pacing = _Pacing()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cyclic garbage at ``BULK_THRESHOLDS`` while the block runs, with the
    objects older than the first such block frozen; both are undone when the last
    such block ends. They are process-wide: other threads' garbage is collected less
    often meanwhile too."""
    with _pacing.lock:
        if _pacing.running == 0:
            _pacing.saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(*BULK_THRESHOLDS)
        _pacing.running += 1
    try:
        yield
    finally:
        with _pacing.lock:
            _pacing.running -= 1
            if _pacing.running == 0:
                gc.set_threshold(*_pacing.saved)
                gc.unfreeze()
