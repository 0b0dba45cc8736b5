"""One small database interface over DuckDB and PostgreSQL.

SQL is written once in DuckDB's dialect with ``?`` placeholders; the PostgreSQL adapter
transpiles it with sqlglot (docs/principles.md, principle 4). Both adapters run in autocommit mode
outside ``transaction()`` blocks.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Any

from traza.core.errors import TrazaError
from traza.store.url import DatabaseURL, parse_url

if TYPE_CHECKING:
    from traza.store.workbench import Workbench

Row = tuple[Any, ...]


class DatabaseBusy(TrazaError):
    """Another process holds the database (DuckDB allows one writer process at a time)."""


class NoDatabase(TrazaError):
    """A command that only reads was pointed at an embedded database file that does not exist."""


class TransactionDoomed(TrazaError):
    """An inner ``transaction()`` block failed and its caller went on: the outer one rolls back."""


class Database(ABC):
    dialect: str
    url: DatabaseURL
    _conn: Any  # the driver's connection: private to store/ and the engine adapters (detect/engines)
    # Set inside ``transaction()``: the audit chain's lock must be held to commit, so it needs
    # to know whether there is a transaction, and to hear when it ends.
    in_transaction: bool = False
    _on_end: list[Callable[[bool], None]] | None = None
    _doomed: bool = False
    # Names the database file across this process's connections (DuckDB; store/chain.py).
    chain_key: str = ""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    def execute_native(self, sql: str) -> None:
        """A statement in this engine's own dialect, not transpiled (PostgreSQL's functions and
        triggers, which sqlglot cannot read)."""
        self.execute(sql)

    @abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    @abstractmethod
    def columns(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[Row]]:
        """Column names and rows of a query."""

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def append(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
               on_conflict: str = "") -> None:
        """Append many rows in one step: a national run's alerts or a year of manifests are
        far too many for row-by-row INSERTs (DuckDB's executemany is a round trip per row).
        ``on_conflict`` is an ``ON CONFLICT ...`` clause, for rows that may already be there."""

    def advisory_lock(self, key: int) -> None:  # noqa: B027 - a no-op unless a server orders processes
        """Hold the lock ``key`` until the current transaction ends, so that work taking it
        runs one at a time across processes. Only PostgreSQL has several writing processes;
        where one process owns the database (DuckDB) there is nothing to order."""

    def serial_row_writes(self) -> AbstractContextManager[object]:
        """A context in which this process's threads update one contended row in turn. A
        server's row lock queues writers; only DuckDB, which fails a second writer of the row
        instead, needs one here."""
        return nullcontext()

    @abstractmethod
    def workbench(self) -> Workbench:
        """The DuckDB workbench beside this database, where files are staged and checked
        (store/workbench.py); ``close()`` it when done."""

    @abstractmethod
    def sibling(self) -> Database:
        """Another connection to the same database, for another thread of this process."""

    # Both drivers' connections run in autocommit outside ``transaction()``, with explicit
    # statements inside it: the same shape on every backend.
    def _begin(self) -> None:
        self._conn.execute("BEGIN")

    def _commit(self) -> None:
        self._conn.execute("COMMIT")

    def _rollback(self) -> None:
        self._conn.execute("ROLLBACK")

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements inside commit together or not at all.

        Re-entrant: a ``transaction()`` opened inside another joins it, so a service can wrap
        a load and its audit event in one commit. A failure inside the inner block dooms the
        whole (the outer block rolls back even if the caller caught the error): DuckDB has no
        savepoints, and one behaviour on every backend is worth more than partial undo."""
        if self.in_transaction:
            try:
                yield
            except BaseException:
                self._doomed = True
                raise
            return
        self._begin()
        self.in_transaction = True
        self._doomed = False
        try:
            yield
            if self._doomed:
                raise TransactionDoomed("a statement inside this transaction failed; nothing was committed")
        except BaseException:
            self._end(committed=False, finish=self._rollback)
            raise
        self._end(committed=True, finish=self._commit)

    def on_transaction_end(self, hook: Callable[[bool], None]) -> None:
        """Call ``hook(committed)`` once the current transaction has committed or rolled back."""
        if self._on_end is None:
            self._on_end = []
        self._on_end.append(hook)

    def _end(self, *, committed: bool, finish: Callable[[], None]) -> None:
        hooks, self._on_end = self._on_end or [], None
        try:
            finish()
        except BaseException:
            committed = False
            raise
        finally:
            self.in_transaction = False
            for hook in hooks:  # locks held to commit are released whatever happened
                hook(committed)

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        names, rows = self.columns(sql, params)
        return [dict(zip(names, r, strict=True)) for r in rows]

    def table_exists(self, name: str) -> bool:
        return bool(
            self.scalar(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ? "
                "AND table_schema = current_schema()",
                (name,),
            )
        )

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_database(url: str | DatabaseURL | None = None, *, migrate: bool = True, create: bool = True) -> Database:
    """Connect to the database named by ``url`` (or ``TRAZA_DATABASE_URL``) and bring its
    schema up to date unless ``migrate`` is False. With ``create`` False an embedded file that
    does not exist is refused instead of created: a mistyped path given to a command that only
    reads would otherwise answer with an empty database."""
    parsed = url if isinstance(url, DatabaseURL) else parse_url(url)
    db: Database
    if parsed.dialect == "duckdb":
        from traza.store.duck import DuckDatabase

        db = DuckDatabase(parsed, create=create)
    else:
        from traza.store.pg import PostgresDatabase

        db = PostgresDatabase(parsed)
    if migrate:
        from traza.store.migrate import upgrade

        upgrade(db)
    return db
