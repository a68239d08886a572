"""Where the pipeline runs for the service: summarizer processes, with deadlines that stop the work.

The event loop only parses requests and forwards bytes. Each article goes to an idle summarizer process
(one pipe each; every process loads the models once, when it starts). A task still running at its request's
deadline has its process killed at once; a fresh one starts, warms up, and joins the idle ones, and the
queue goes on. Waiting articles get idle processes in `ShortestFirst` order, and long articles may hold at
most all but one of them, so ordinary articles are not stuck behind long or pathological ones.

`ThreadRunner` (Settings.workers == 0) runs the same work in threads of the server process instead: for
tests and embedding; there a request past its deadline is answered but its work cannot be stopped.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import multiprocessing
import multiprocessing.forkserver
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar

from highlights.service import worker

log = logging.getLogger("highlights.service")
T = TypeVar("T")
Item = TypeVar("Item")

# A waiting article is queued as if it had come 1 s later per 100,000 characters (at most half the time
# limit): roughly how much longer it will hold a process than a short one.
_CHARS_PER_S_OF_DELAY = 100_000
# Longer than nearly every news story (a 600-word one is ~3,500 characters): such articles share all but one
# of the processes, so a burst of them (or of pathological input) cannot take every process.
LONG_ARTICLE_CHARS = 50_000
_RESTART_PAUSE_S = 1.0  # between tries when a summarizer process fails to start
_FORKSERVER_GUARD = "highlights.service.forkserver_guard"  # by name: importing it here would tie *this* process
_keeper_requests: queue.SimpleQueue[threading.Event] = queue.SimpleQueue()
_keeper_lock = threading.Lock()
_keeper: threading.Thread | None = None


class WorkerLost(RuntimeError):
    """The process running a task ended without an answer (killed by the OS, crashed)."""


class ShortestFirst(Generic[Item]):
    """Idle items (processes, threads) handed to waiters by arrival time plus a delay that grows with size."""

    def __init__(self, max_delay_s: float) -> None:
        self._max_delay_s = max_delay_s
        self._idle: list[Item] = []
        self._waiting: list[tuple[float, int, asyncio.Future[Item]]] = []
        self._arrivals = itertools.count()

    async def get(self, size: int) -> Item:
        if self._idle:  # an idle item means nobody alive is waiting: put() serves waiters first
            return self._idle.pop()
        key = time.monotonic() + min(size / _CHARS_PER_S_OF_DELAY, self._max_delay_s)
        waiter: asyncio.Future[Item] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (key, next(self._arrivals), waiter))
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():  # handed one just as it gave up: pass it on
                self.put(waiter.result())
            raise

    def put(self, item: Item) -> None:
        while self._waiting:
            waiter = heapq.heappop(self._waiting)[2]
            if not waiter.done():  # skips those that gave up (their deadline passed while waiting)
                waiter.set_result(item)
                return
        self._idle.append(item)


class Runner:
    """Runs `function(*args)` away from the event loop by `deadline` (`loop.time()` seconds); past it,
    `asyncio.TimeoutError`."""

    def __init__(self, slots: int, request_timeout_s: float) -> None:
        self._idle: ShortestFirst[Any] = ShortestFirst(request_timeout_s / 2)
        self._long_lane = asyncio.Semaphore(max(1, slots - 1))

    async def start(self) -> None:
        """Get ready to serve."""

    async def stop(self) -> None:
        """Stop the work and free the processes or threads."""

    def ready(self) -> int:
        """How many processes (threads) can take work now or once their task ends."""
        raise NotImplementedError

    async def run(self, function: Callable[..., T], *args: Any, size: int, deadline: float) -> T:
        remaining = deadline - asyncio.get_running_loop().time()
        return await asyncio.wait_for(self._admit(function, args, size), max(remaining, 0))

    async def _admit(self, function: Callable[..., T], args: tuple, size: int) -> T:
        if size <= LONG_ARTICLE_CHARS:
            return await self._run(function, args, size)
        async with self._long_lane:
            return await self._run(function, args, size)

    async def _run(self, function: Callable[..., T], args: tuple, size: int) -> T:
        raise NotImplementedError


class ThreadRunner(Runner):
    def __init__(self, threads: int, request_timeout_s: float, warm_up: bool = True) -> None:
        super().__init__(threads, request_timeout_s)
        self._warm_up = warm_up
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="highlights")
        self._threads = threads
        for thread in range(threads):
            self._idle.put(thread)

    def ready(self) -> int:
        return self._threads

    async def start(self) -> None:
        if self._warm_up:
            await asyncio.get_running_loop().run_in_executor(self._executor, worker.warm_up)

    async def stop(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def _run(self, function: Callable[..., T], args: tuple, size: int) -> T:
        thread = await self._idle.get(size)
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)
        finally:  # past the deadline too: the thread runs on, but the executor queues what comes next
            self._idle.put(thread)


def ensure_forkserver() -> None:
    """Start multiprocessing's forkserver, if it is not running, from one thread that lives as long as this
    process. The forkserver dies with the thread that started it (forkserver_guard.py, preloaded there), and
    the summarizers die with the forkserver: so they all end with this process however it ends, and not
    before, whichever thread (a test client's, an executor's) asked for a process first."""
    global _keeper
    with _keeper_lock:
        if _keeper is None:
            multiprocessing.forkserver.set_forkserver_preload([_FORKSERVER_GUARD])
            _keeper = threading.Thread(target=_keep_forkserver, name="highlights-forkserver", daemon=True)
            _keeper.start()
    done = threading.Event()
    _keeper_requests.put(done)
    done.wait()


def _keep_forkserver() -> None:
    while True:
        done = _keeper_requests.get()
        try:
            multiprocessing.forkserver.ensure_running()
        finally:
            done.set()


class _Process:
    """One summarizer process and the pipe to it."""

    def __init__(self, context: Any, init: str | None, warm_up: bool) -> None:
        if context.get_start_method() == "forkserver":
            ensure_forkserver()
        # Held while a thread uses the pipe: it is closed only after that thread is done with it (a closed
        # descriptor's number can be reused by the next process's pipe).
        self._in_use = threading.Lock()
        self.connection, child_end = context.Pipe()
        self.process = context.Process(
            target=worker.serve, args=(child_end, init, warm_up), name="highlights-summarizer", daemon=True
        )
        self.process.start()
        child_end.close()  # so that its end of file reaches us when the process dies

    def wait_ready(self) -> None:
        """Block until the process has warmed up (it says so on the pipe)."""
        with self._in_use:
            try:
                if self.connection.recv() == worker.READY:
                    return
            except (EOFError, OSError):
                pass
        raise WorkerLost(f"summarizer process {self.process.pid} did not start")

    def call(self, function: Callable, args: tuple) -> Any:
        with self._in_use:
            try:
                self.connection.send((function, args))
                return self.connection.recv()
            except (EOFError, OSError) as error:
                raise WorkerLost(f"summarizer process {self.process.pid} ended") from error

    def kill(self) -> None:
        """SIGKILL (the work is pure computation, nothing to save); a thread blocked on the pipe then gets its
        end of file."""
        self.process.kill()

    def reap(self) -> None:
        self.process.join()
        with self._in_use:
            self.connection.close()


class ProcessRunner(Runner):
    """`processes` summarizer processes, started from a forkserver: safe with the server's threads (unlike
    fork), and each starts from a process that has the imports done (faster than spawn)."""

    def __init__(self, processes: int, request_timeout_s: float, init: str | None = None, warm_up: bool = True) -> None:
        super().__init__(processes, request_timeout_s)
        self._size = processes
        self._init, self._warm_up = init, warm_up
        forkserver = "forkserver" in multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("forkserver" if forkserver else "spawn")
        # Threads that wait on the pipes: one per busy or starting process.
        self._io = ThreadPoolExecutor(max_workers=2 * processes + 2, thread_name_prefix="highlights-pipe")
        self._processes: set[_Process] = set()
        self._warm: set[_Process] = set()
        self._starting: set[asyncio.Task] = set()
        self._started = self._stopping = False

    async def start(self) -> None:
        """Start every process and wait until each has warmed up."""
        if self._started:
            return
        self._started = True
        began = time.perf_counter()
        await asyncio.gather(*(self._start_one() for _ in range(self._size)))
        log.info("%d summarizer processes ready in %.1f s", self._size, time.perf_counter() - began)

    def ready(self) -> int:
        return len(self._warm)

    async def stop(self) -> None:
        self._stopping = True
        for task in self._starting:
            task.cancel()
        processes, self._processes = list(self._processes), set()
        for process in processes:
            process.kill()

        def reap_all() -> None:
            for process in processes:
                process.reap()

        await asyncio.get_running_loop().run_in_executor(self._io, reap_all)
        self._io.shutdown(wait=False, cancel_futures=True)

    async def _run(self, function: Callable[..., T], args: tuple, size: int) -> T:
        if not self._started:  # no lifespan ran (an app used without its server): start on first use
            await self.start()
        process = await self._idle.get(size)
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(self._io, process.call, function, args)
        except asyncio.CancelledError:  # the deadline: stop the work now, a fresh process takes its place
            self._replace(process)
            raise
        except WorkerLost:
            log.error("summarizer process %d ended during a task; starting another", process.process.pid)
            self._replace(process)
            raise
        self._idle.put(process)
        return result

    def _replace(self, process: _Process) -> None:
        process.kill()
        self._processes.discard(process)
        self._warm.discard(process)
        self._io.submit(process.reap)
        if not self._stopping:
            task = asyncio.get_running_loop().create_task(self._start_one())
            self._starting.add(task)
            task.add_done_callback(self._starting.discard)

    async def _start_one(self) -> None:
        """Start a process, and once it has warmed up, make it idle (retrying while it fails to start)."""
        loop = asyncio.get_running_loop()
        while not self._stopping:
            process = await loop.run_in_executor(self._io, _Process, self._context, self._init, self._warm_up)
            self._processes.add(process)
            try:
                await loop.run_in_executor(self._io, process.wait_ready)
            except WorkerLost as error:
                log.error("%s; trying again", error)
                self._processes.discard(process)
                self._io.submit(process.reap)
                await asyncio.sleep(_RESTART_PAUSE_S)
                continue
            except asyncio.CancelledError:
                process.kill()
                raise
            if self._stopping:
                process.kill()
                return
            self._warm.add(process)
            self._idle.put(process)
            return
