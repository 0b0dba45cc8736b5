"""The record of every sale check, committed before the check's answer is sent.

An answered check is evidence (a check never followed by a declared sale, a block followed by
one), so "answered" must mean "stored": issue 16 (finding 9) lost 10 of 1,351 answered checks
to a kill -9 when records waited 50 ms in memory. Group commit keeps that promise at
thousands of checks a second: each request queues its row and waits; one writer thread takes
every row queued so far, commits them in one durable transaction (PostgreSQL's
``synchronous_commit`` left on), then wakes all their requests at once. While it commits, the
next batch gathers, so a busy server writes large batches and a quiet one small ones, and no
request waits for more than about two commits.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from traza.store import salechecks as repo
from traza.store.db import Database

log = logging.getLogger("traza.api.checks")
# One COPY of this many rows takes a few milliseconds; more would make the first in line wait.
MAX_BATCH = 2000


class RecorderStopped(Exception):
    """The server is shutting down: the check was not recorded, so it gets no answer."""


class Recorder:
    """Queue a check's row with :meth:`add`; its future completes once the row is committed
    (or fails with the database's error, and then the check must not be answered)."""

    def __init__(self, take: Callable[[], Database], give: Callable[[Database], None],
                 gather_seconds: float = 0.0) -> None:
        self._take, self._give = take, give
        # An optional pause before each commit to gather a larger batch (0: commit at once;
        # the batch is whatever queued while the previous commit ran).
        self.gather_seconds = gather_seconds
        self._queue: list[tuple[tuple[Any, ...], Future[None]]] = []
        self._cond = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.batches = 0  # commits made, for the benchmark and the tests
        self.rows = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="traza-checks", daemon=True)
        self._thread.start()

    def add(self, row: tuple[Any, ...]) -> Future[None]:
        done: Future[None] = Future()
        done.set_running_or_notify_cancel()  # a waiter that gives up cannot cancel the write
        if self._thread is None:  # not started (a script using the service directly): write now
            try:
                self._write([row])
                done.set_result(None)
            except Exception as exc:
                done.set_exception(exc)
            return done
        with self._cond:
            if self._stopping:
                raise RecorderStopped("the server is shutting down: check again in a moment")
            self._queue.append((row, done))
            self._cond.notify()
        return done

    def _write(self, rows: list[tuple[Any, ...]]) -> None:
        db = self._take()
        try:
            repo.append_checks(db, rows)
        except BaseException:
            db.close()  # a failed session may be unusable: do not hand it out again
            raise
        self._give(db)
        self.batches += 1
        self.rows += len(rows)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._stopping:
                    self._cond.wait()
                if not self._queue:
                    return  # stopping, and everything queued was written
            if self.gather_seconds > 0 and not self._stopping:
                time.sleep(self.gather_seconds)
            with self._cond:
                batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            try:
                self._write([row for row, _ in batch])
            except Exception as exc:
                # Not retried: the requests are told the check was not recorded (503), so no
                # answered check is missing, and none is stored that its seller never saw.
                log.exception("recording %d sale checks failed", len(batch))
                for _, done in batch:
                    done.set_exception(exc)
                continue
            for _, done in batch:
                done.set_result(None)

    def stop(self) -> None:
        """Write what is queued, then end the writer."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread:
            self._thread.join(timeout=30)
