"""Normalization in worker processes, so the reactor keeps downloading meanwhile.

Normalizing an article and deriving what the archive indexes (search columns in both tone
placements, fingerprint, citations) is pure and CPU-bound: in the reactor's thread it took
half of a crawl's time (bench/crawl_throughput.py). NORMALIZE_WORKERS processes do it instead;
0 keeps it in the reactor. A pool that breaks (a worker killed) is replaced by in-process work
for the rest of the crawl, so no page is lost.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")
_pools: dict[int, ProcessPoolExecutor] = {}
_broken: set[int] = set()  # sizes whose pool died: their work stays in-process


def default_workers() -> int:
    """One core for the reactor, the others (at most four) for normalization."""
    return min(4, max(1, (os.cpu_count() or 1) - 1))


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group: the reactor stops the crawl, workers finish
    # what they hold and are shut down with it
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def pool(workers: int) -> ProcessPoolExecutor | None:
    """The process's shared pool of that size (created on first use), or None for 0."""
    if workers <= 0 or workers in _broken:
        return None
    if workers not in _pools:
        # forkserver: a clean interpreter, not a fork of the reactor and its threads
        _pools[workers] = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("forkserver"),
            initializer=_ignore_interrupts)
    return _pools[workers]


async def run(workers: int, function: Callable[[Any], T], item: Any) -> T:
    """function(item) in a worker process when an asyncio loop runs us (Scrapy's asyncio
    reactor), else right here."""
    executor = pool(workers) if _in_asyncio() else None
    if executor is None:
        return function(item)
    try:
        return await asyncio.wrap_future(executor.submit(function, item))
    except BrokenProcessPool:
        logger.warning("normalization workers died; normalizing in the crawl process")
        discard(workers)
        return function(item)


def discard(workers: int) -> None:
    """A pool that broke (a worker killed): never used again in this process."""
    _broken.add(workers)
    executor = _pools.pop(workers, None)
    if executor is not None:
        executor.shutdown(wait=False, cancel_futures=True)


def shutdown() -> None:
    """Stop every pool (after the reactor stopped)."""
    while _pools:
        _, executor = _pools.popitem()
        executor.shutdown(wait=True, cancel_futures=True)


def _in_asyncio() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
