"""A small pool of database connections: a server's threads each need their own."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from traza.api.errors import ApiError
from traza.store import Database, open_database


class Pool:
    def __init__(self, url: str, size: int) -> None:
        # Opening the root connection applies missing migrations; DuckDB's other connections
        # are cursors of it (one process may hold the file), PostgreSQL's are new sessions.
        self.root = open_database(url)
        self.size = size
        self._free: list[Database] = []
        self._lock = threading.Lock()

    def take(self) -> Database:
        with self._lock:
            if self._free:
                return self._free.pop()
        return self.root.sibling()

    def give(self, db: Database) -> None:
        with self._lock:
            if len(self._free) < self.size:
                self._free.append(db)
                return
        db.close()

    @contextmanager
    def connection(self) -> Iterator[Database]:
        db = self.take()
        try:
            yield db
        except ApiError:
            self.give(db)
            raise
        except BaseException:
            # A driver error may leave the session unusable: do not hand it out again.
            db.close()
            raise
        self.give(db)

    def close(self) -> None:
        with self._lock:
            free, self._free = self._free, []
        for db in free:
            db.close()
        self.root.close()
