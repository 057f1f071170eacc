"""Stock per book: deliveries, reservations held for orders, dispatch and reorder reports."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

from bookshop import books
from bookshop.books import Book


class OutOfStock(Exception):
    """Raised when a reservation asks for more units than are available."""

    def __init__(self, isbn: str, requested: int, available: int) -> None:
        super().__init__(f"{isbn}: requested {requested}, only {available} available")
        self.isbn = isbn
        self.requested = requested
        self.available = available


class AlreadyDispatched(Exception):
    """Raised when releasing a reservation whose books have left the warehouse."""


@dataclass
class StockLevel:
    """Units on the shelf and units held for orders not yet dispatched."""

    isbn: str
    on_hand: int = 0
    reserved: int = 0

    @property
    def available(self) -> int:
        """Units that can still be promised to a customer."""
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class ReservedLine:
    """Units of one book held for an order, with the book as catalogued at that moment."""

    book: Book
    quantity: int

    @property
    def subtotal(self) -> Decimal:
        """Catalogue price of the held units."""
        return self.book.price * self.quantity


@dataclass
class Reservation:
    """Books held together for one order until they are dispatched or released."""

    reservation_id: str
    lines: tuple[ReservedLine, ...]
    dispatched: bool = False

    @property
    def total(self) -> Decimal:
        """Catalogue value of every held unit."""
        return sum((line.subtotal for line in self.lines), Decimal("0.00"))


_STOCK: dict[str, StockLevel] = {}
_RESERVATIONS: dict[str, Reservation] = {}
_SEQUENCE = itertools.count(1)


def _level(isbn: str) -> StockLevel:
    """Stock record of a catalogued book; raises BookNotFound for unknown ISBNs."""
    book = books.find(isbn)
    return _STOCK.setdefault(book.isbn, StockLevel(book.isbn))


def receive(isbn: str, quantity: int) -> StockLevel:
    """Book a publisher's delivery of ``quantity`` units into stock."""
    clean = books.normalize_isbn(isbn)
    if not books.isbn_is_valid(clean):
        raise ValueError(f"delivery note has an invalid ISBN: {isbn!r}")
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    level = _level(clean)
    level.on_hand += quantity
    return level


def available(isbn: str) -> int:
    """Units of a book that can still be sold."""
    return _level(isbn).available


def reserve(items: dict[str, int]) -> Reservation:
    """Hold stock for an order, all or nothing, and return the held books.

    ``items`` maps ISBNs (any spelling) to quantities; raises OutOfStock, and
    holds nothing, if any title is short.
    """
    if not items or any(quantity <= 0 for quantity in items.values()):
        raise ValueError("a reservation needs at least one positive quantity")
    wanted: dict[str, int] = {}
    for raw, quantity in items.items():
        isbn = books.normalize_isbn(raw)
        wanted[isbn] = wanted.get(isbn, 0) + quantity
    for isbn, quantity in wanted.items():
        level = _level(isbn)
        if quantity > level.available:
            raise OutOfStock(isbn, quantity, level.available)
    lines = []
    for isbn, quantity in wanted.items():
        _level(isbn).reserved += quantity
        lines.append(ReservedLine(books.find(isbn), quantity))
    reservation = Reservation(f"RES-{next(_SEQUENCE):05d}", tuple(lines))
    _RESERVATIONS[reservation.reservation_id] = reservation
    return reservation


def release(reservation_id: str) -> Reservation:
    """Put the held units back on sale, e.g. when an order is cancelled before dispatch."""
    reservation = _RESERVATIONS[reservation_id]
    if reservation.dispatched:
        raise AlreadyDispatched(f"{reservation_id} has left the warehouse; handle it as a return")
    for line in reservation.lines:
        level = _level(line.book.isbn)
        level.reserved -= line.quantity
    del _RESERVATIONS[reservation_id]
    return reservation


def dispatch(reservation_id: str) -> Reservation:
    """The packed books leave the warehouse: the held units come off the shelf."""
    reservation = _RESERVATIONS[reservation_id]
    if reservation.dispatched:
        return reservation
    for line in reservation.lines:
        level = _level(line.book.isbn)
        level.reserved -= line.quantity
        level.on_hand -= line.quantity
    reservation.dispatched = True
    return reservation


def awaiting_dispatch() -> list[Reservation]:
    """Reservations the warehouse still has to pack, oldest first."""
    return [r for r in _RESERVATIONS.values() if not r.dispatched]


def in_stock(query: str) -> list[tuple[Book, int]]:
    """Catalogue search limited to titles that can be shipped now, with units available."""
    hits = []
    for book in books.search(query):
        units = _level(book.isbn).available
        if units > 0:
            hits.append((book, units))
    return hits


def stock_by_author(author: str) -> dict[str, int]:
    """Units available of each of an author's titles, keyed by title."""
    return {book.title: _level(book.isbn).available for book in books.by_author(author)}


def reorder_list(threshold: int = 3) -> list[tuple[Book, int]]:
    """Catalogued titles with fewer than ``threshold`` units available, scarcest first."""
    short = []
    for book in books.all_books():
        level = _STOCK.get(book.isbn)
        units = level.available if level else 0
        if units < threshold:
            short.append((book, units))
    return sorted(short, key=lambda pair: (pair[1], pair[0].title))


def stock_value() -> Decimal:
    """Value of the units on the shelf at catalogue prices."""
    return sum(
        (books.find(level.isbn).price * level.on_hand for level in _STOCK.values()),
        Decimal("0.00"),
    )
