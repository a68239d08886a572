"""The local engine: chunks of rows summarized by a pool of processes, results handed back in input order.

Order is what makes a job resumable (the journal records one position) and the output the same byte for
byte whatever the number of workers. At most `2 × workers` chunks are in flight, so memory stays flat
however large the input: the reader waits for the oldest chunk before it reads more.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from highlights.batch.inputs import Item
from highlights.batch.work import Outcome, Settings, summarize_items, warm
from highlights.errors import HighlightsError

DEFAULT_CHUNK_SIZE = 64


def chunked(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_chunks(
    chunks: Iterable[list[Item]], settings: Settings, workers: int
) -> Iterator[tuple[list[Item], list[Outcome]]]:
    """(chunk, its outcomes) in input order. One worker runs in this process; more run in a process pool
    whose initializer loads the scorer once per worker."""
    if workers <= 1:
        warm(settings)
        for chunk in chunks:
            yield chunk, summarize_items(chunk, settings)
        return
    # spawn, not fork: a worker must not inherit the output's lock or the progress bar's thread.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(settings, os.getpid()))
    window: deque[tuple[list[Item], Future]] = deque()
    try:
        for chunk in chunks:
            window.append((chunk, pool.submit(summarize_items, chunk, settings)))
            if len(window) >= 2 * workers:
                done, future = window.popleft()
                yield done, future.result()
        while window:
            done, future = window.popleft()
            yield done, future.result()
    except BrokenProcessPool:
        raise HighlightsError(
            "a worker process died (out of memory?); what was written is safe: run the same command again to resume"
        ) from None
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _start_worker(settings: Settings, parent: int) -> None:
    warm(settings)
    # A parent killed with SIGKILL cannot stop its workers, and they would wait on the task queue forever.
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
