"""Generic repository base class used by the service layer."""
from __future__ import annotations

from typing import Any, Generic, TypeVar

from shop.db.session import Session

M = TypeVar("M")


class NotFoundError(LookupError):
    """An entity with the requested identity does not exist."""

    def __init__(self, model: type, ident: Any) -> None:
        super().__init__(f"{model.__name__} {ident!r} not found")
        self.model = model
        self.ident = ident


class Repository(Generic[M]):
    """CRUD access to one mapped model through a unit-of-work session.

    Subclasses set ``model`` and add domain-specific finders.
    """

    model: type[M]

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, ident: Any) -> M | None:
        return self.session.get(self.model, ident)

    def get_or_raise(self, ident: Any) -> M:
        entity = self.get(ident)
        if entity is None:
            raise NotFoundError(self.model, ident)
        return entity

    def add(self, entity: M) -> M:
        self.session.add(entity)
        self.session.flush()
        return entity

    def list(self, **filters: Any) -> list[M]:
        return self.session.query(self.model).filter_by(**filters).all()

    def find_one(self, **filters: Any) -> M | None:
        return self.session.query(self.model).filter_by(**filters).first()

    def count(self, **filters: Any) -> int:
        return self.session.query(self.model).filter_by(**filters).count()

    def delete(self, entity: M) -> None:
        self.session.delete(entity)

    def page(self, page: int = 1, size: int = 20, **filters: Any) -> tuple[list[M], int]:
        """One page of results plus the total number of matching rows."""
        page = max(page, 1)
        size = min(max(size, 1), 200)
        query = self.session.query(self.model).filter_by(**filters)
        total = query.count()
        items = query.offset((page - 1) * size).limit(size).all()
        return items, total
