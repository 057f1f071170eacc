"""A thin unit-of-work wrapper around SQLAlchemy sessions."""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Any, Generic, Iterator, TypeVar

from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine, Result
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from shop.db.base import Base
from shop.utils.logging_config import get_logger

log = get_logger(__name__)

T = TypeVar("T")

DEFAULT_URL = "sqlite:///shop.db"
_engine: Engine | None = None
_factory: sessionmaker | None = None


def get_engine() -> Engine:
    """Create the process-wide engine lazily from SHOP_DATABASE_URL."""
    global _engine, _factory
    if _engine is None:
        url = os.environ.get("SHOP_DATABASE_URL", DEFAULT_URL)
        _engine = create_engine(url, pool_pre_ping=True, future=True)
        _factory = sessionmaker(bind=_engine, expire_on_commit=False)
        log.info("database engine created for %s", _engine.url.render_as_string(hide_password=True))
    return _engine


def init_db() -> None:
    """Create all tables that do not exist yet."""
    Base.metadata.create_all(get_engine())


class Query(Generic[T]):
    """Minimal chainable query over one model."""

    def __init__(self, orm: OrmSession, model: type[T], statement: Any = None) -> None:
        self._orm = orm
        self._model = model
        self._statement = statement if statement is not None else select(model)

    def _derive(self, statement: Any) -> "Query[T]":
        return Query(self._orm, self._model, statement)

    def filter(self, *criteria: Any) -> "Query[T]":
        return self._derive(self._statement.where(*criteria))

    def filter_by(self, **values: Any) -> "Query[T]":
        return self._derive(self._statement.filter_by(**values))

    def order_by(self, *columns: Any) -> "Query[T]":
        return self._derive(self._statement.order_by(*columns))

    def limit(self, count: int) -> "Query[T]":
        return self._derive(self._statement.limit(count))

    def offset(self, count: int) -> "Query[T]":
        return self._derive(self._statement.offset(count))

    def all(self) -> list[T]:
        return list(self._orm.scalars(self._statement))

    def first(self) -> T | None:
        return self._orm.scalars(self._statement.limit(1)).first()

    def count(self) -> int:
        counted = select(func.count()).select_from(self._statement.subquery())
        return int(self._orm.scalar(counted) or 0)


class Session:
    """Unit of work: collects changes and commits them together."""

    def __init__(self, orm: OrmSession) -> None:
        self._orm = orm

    def add(self, instance: Any) -> None:
        self._orm.add(instance)

    def add_all(self, instances: list[Any]) -> None:
        self._orm.add_all(instances)

    def get(self, model: type[T], ident: Any) -> T | None:
        return self._orm.get(model, ident)

    def query(self, model: type[T]) -> Query[T]:
        return Query(self._orm, model)

    def delete(self, instance: Any) -> None:
        self._orm.delete(instance)

    def execute(self, statement: Any, params: dict[str, Any] | None = None) -> Result:
        return self._orm.execute(statement, params or {})

    def flush(self) -> None:
        self._orm.flush()

    def commit(self) -> None:
        self._orm.commit()

    def rollback(self) -> None:
        self._orm.rollback()

    def close(self) -> None:
        self._orm.close()


@contextmanager
def session_scope() -> Iterator[Session]:
    """Open a session, commit on success and roll back on any error."""
    get_engine()
    assert _factory is not None
    session = Session(_factory())
    try:
        yield session
        session.commit()
    except Exception:
        log.exception("rolling back unit of work")
        session.rollback()
        raise
    finally:
        session.close()
