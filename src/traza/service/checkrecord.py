"""The record of every sale check, committed before the check's answer is sent.

An answered check is evidence (a check never followed by a declared sale, a block followed by
one), so "answered" must mean "stored": issue 16 (finding 9) lost 10 of 1,351 answered checks
to a kill -9 when records waited 50 ms in memory. Group commit keeps that promise at
thousands of checks a second: each request queues its row and awaits; one writer takes every
row queued so far, commits them in one statement, then wakes all their requests at once.
While it commits, the next batch gathers, so a busy server writes large batches and a quiet
one small ones, and no request waits for more than about two commits.

The writer is a task on the server's event loop, writing through the store's
``CheckWriter`` (an asynchronous session on PostgreSQL, a thread on DuckDB). Callers outside the loop (the portal's page, scripts)
write their one row directly, in the same durable way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from traza.store import salechecks as repo
from traza.store.db import Database

log = logging.getLogger("traza.api.checks")
# A batch above this is split: the first in line should not wait for a huge statement.
MAX_BATCH = 1000


class RecorderStopped(Exception):
    """The server is shutting down: the check was not recorded, so it gets no answer."""


class Recorder:
    """:meth:`record` (on the event loop) or :meth:`record_now` (anywhere else) return once
    the check's row is committed, or raise the database's error: then it must not be answered."""

    def __init__(self, take: Callable[[], Database], give: Callable[[Database], None],
                 gather_seconds: float = 0.0, wait_for_disk: bool = True) -> None:
        self._take, self._give = take, give
        # An optional pause before each commit to gather a larger batch (0: commit at once).
        self.gather_seconds = gather_seconds
        self.wait_for_disk = wait_for_disk  # see store.salechecks.open_writer
        self._queue: list[tuple[tuple[Any, ...], asyncio.Future[None]]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._writer: repo.CheckWriter | None = None  # its own session, opened on the first batch
        self._stopping = False
        self.batches = 0  # commits made, for the tests and the benchmark
        self.rows = 0

    def start(self) -> None:
        """Start the writer on the running event loop, if any (else on the first check)."""
        with contextlib.suppress(RuntimeError):
            self._start_on(asyncio.get_running_loop())

    def _start_on(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop, self._wake, self._queue = loop, asyncio.Event(), []
        self._task = loop.create_task(self._run(), name="traza-checks")

    async def record(self, row: tuple[Any, ...]) -> None:
        if self._stopping:
            raise RecorderStopped("the server is shutting down: check again in a moment")
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._task is None or self._task.done():
            self._start_on(loop)
        done: asyncio.Future[None] = loop.create_future()
        self._queue.append((row, done))
        assert self._wake is not None
        self._wake.set()
        # Shielded: a client that hangs up does not take its row out of the batch.
        await asyncio.shield(done)

    def record_now(self, row: tuple[Any, ...]) -> None:
        """One row, committed before returning (from a thread: the portal's page, scripts)."""
        db = self._take()
        try:
            repo.append_checks(db, [row])
        except BaseException:
            db.close()
            raise
        self._give(db)

    async def _run(self) -> None:
        assert self._wake is not None
        try:
            while True:
                await self._wake.wait()
                self._wake.clear()
                if self.gather_seconds > 0:
                    await asyncio.sleep(self.gather_seconds)
                while self._queue:
                    batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
                    await self._commit(batch)
        finally:
            await self._close()

    async def _commit(self, batch: list[tuple[tuple[Any, ...], asyncio.Future[None]]]) -> None:
        rows = [row for row, _ in batch]
        try:
            await self._write(rows)
        except Exception as exc:
            # Not retried: the requests are told the check was not recorded (503), so no
            # answered check is missing, and none is stored that its seller never saw.
            log.exception("recording %d sale checks failed", len(batch))
            await self._close()  # the next batch opens a fresh session
            for _, done in batch:
                if not done.done():
                    done.set_exception(exc)
            return
        self.batches += 1
        self.rows += len(rows)
        for _, done in batch:
            if not done.done():
                done.set_result(None)

    async def _write(self, rows: list[tuple[Any, ...]]) -> None:
        if self._writer is None:
            self._writer = await repo.open_writer(self._take, self._give, self.wait_for_disk)
        await self._writer.write(rows)

    async def _close(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            await writer.close()

    def stop(self) -> None:
        """No more checks. Rows still queued were never answered; the writer is cancelled."""
        self._stopping = True
        for _, done in self._queue:  # none in a graceful stop: the server drained its requests
            if not done.done():
                done.set_exception(RecorderStopped("the server is shutting down: check again in a moment"))
        self._queue = []
        if self._task is not None and not self._task.done():
            self._task.cancel()
