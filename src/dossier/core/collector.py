"""Bulk jobs and Python's cyclic garbage collector.

An import allocates hundreds of small containers per row (cells, inputs, key rows),
nearly all freed by reference counting as soon as they are used. With the default
thresholds the cyclic collector still ran every 700 allocations and now and then
walked the whole heap: a quarter of the CPU time of a 100,000-row import.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Young objects are collected every 10,000 allocations instead of 700, and the whole
# heap far more rarely; the collector still runs, so garbage with cycles is freed.
BULK_THRESHOLDS = (10_000, 50, 100)


@contextmanager
def bulk_collection() -> Iterator[None]:
    """Run a bulk job with what exists when it starts (modules, Django, caches) left
    out of collections, and the collector running less often; both are restored
    after. They are process-wide: other threads' garbage is collected less often
    meanwhile too.
    """
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*BULK_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
