"""How often Python looks for cyclic garbage while a large file is imported.

A part of an import file makes hundreds of thousands of objects (rows, guests, keys)
that live until the part is written. With Python's default thresholds the collector
runs after every 700 new objects, and every few hundred runs it walks every object the
process holds: during an import that full walk was a fifth of all the CPU. Reference
counting frees almost all of these objects anyway; cycles are still collected, only
after ``BULK_THRESHOLDS[0]`` new objects instead of 700.
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
    """Collect cyclic garbage at ``BULK_THRESHOLDS`` while the block runs; the
    thresholds before are restored when the last such block ends."""
    with _pacing.lock:
        if _pacing.running == 0:
            _pacing.saved = gc.get_threshold()
            gc.set_threshold(*BULK_THRESHOLDS)
        _pacing.running += 1
    try:
        yield
    finally:
        with _pacing.lock:
            _pacing.running -= 1
            if _pacing.running == 0:
                gc.set_threshold(*_pacing.saved)
