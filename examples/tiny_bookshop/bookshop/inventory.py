"""Stock levels per book, with reservation and release of units."""
from __future__ import annotations

from dataclasses import dataclass

from bookshop.books import get_book


class OutOfStock(Exception):
    """Raised when a reservation asks for more units than are available."""

    def __init__(self, isbn: str, requested: int, available: int) -> None:
        super().__init__(f"{isbn}: requested {requested}, only {available} available")
        self.isbn = isbn
        self.requested = requested
        self.available = available


@dataclass
class StockLevel:
    """Units on the shelf and units promised to orders not yet shipped."""

    isbn: str
    on_hand: int = 0
    reserved: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


_STOCK: dict[str, StockLevel] = {}


def _level(isbn: str) -> StockLevel:
    return _STOCK.setdefault(isbn, StockLevel(isbn))


def receive(isbn: str, quantity: int) -> StockLevel:
    """Book a delivery of ``quantity`` units into stock."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    book = get_book(isbn)
    level = _level(book.isbn)
    level.on_hand += quantity
    return level


def available(isbn: str) -> int:
    """Units that can still be sold."""
    return _level(isbn).available


def reserve(isbn: str, quantity: int) -> None:
    """Set units aside for an order; raises OutOfStock if not enough."""
    level = _level(isbn)
    if quantity > level.available:
        raise OutOfStock(isbn, quantity, level.available)
    level.reserved += quantity


def release(isbn: str, quantity: int) -> None:
    """Give reserved units back, e.g. after a failed payment."""
    level = _level(isbn)
    level.reserved = max(0, level.reserved - quantity)


def commit(isbn: str, quantity: int) -> None:
    """Turn a reservation into a sale: the units leave the shelf."""
    level = _level(isbn)
    level.reserved -= quantity
    level.on_hand -= quantity


def reserve_many(items: dict[str, int]) -> None:
    """Reserve several titles at once; all or nothing."""
    done: dict[str, int] = {}
    try:
        for isbn, quantity in items.items():
            reserve(isbn, quantity)
            done[isbn] = quantity
    except OutOfStock:
        release_many(done)
        raise


def release_many(items: dict[str, int]) -> None:
    for isbn, quantity in items.items():
        release(isbn, quantity)


def commit_many(items: dict[str, int]) -> None:
    for isbn, quantity in items.items():
        commit(isbn, quantity)


def low_stock(threshold: int = 3) -> list[StockLevel]:
    """Titles whose available units dropped below ``threshold``."""
    return sorted(
        (lvl for lvl in _STOCK.values() if lvl.available < threshold),
        key=lambda lvl: lvl.available,
    )
