import asyncio
import multiprocessing
import os

from scraper import workers


def _square(value: int) -> tuple[int, bool]:
    return value * value, multiprocessing.parent_process() is not None


def _dies_in_a_worker(value: int) -> int:
    if multiprocessing.parent_process() is not None:
        os._exit(1)  # a worker killed mid-page (out of memory, a signal)
    return value + 1


def test_work_runs_in_a_worker_process():
    try:
        assert asyncio.run(workers.run(1, _square, 7)) == (49, True)
    finally:
        workers.shutdown()


def test_no_workers_means_in_process():
    assert asyncio.run(workers.run(0, _square, 3)) == (9, False)


def test_a_dead_pool_is_replaced_by_in_process_work():
    try:
        assert asyncio.run(workers.run(2, _dies_in_a_worker, 1)) == 2
        assert workers.pool(2) is None  # the rest of the crawl stays in-process
        assert asyncio.run(workers.run(2, _square, 4)) == (16, False)
    finally:
        workers._broken.clear()
        workers.shutdown()
