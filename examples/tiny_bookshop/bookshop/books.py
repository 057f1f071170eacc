"""Book catalogue: the Book entity and lookups by ISBN, author and title."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


class BookNotFound(LookupError):
    """Raised when an ISBN is not present in the catalogue."""


@dataclass(frozen=True)
class Book:
    """A title that the shop sells."""

    isbn: str
    title: str
    author: str
    price: Decimal
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def display_name(self) -> str:
        return f"{self.title} by {self.author}"


_CATALOGUE: dict[str, Book] = {}


def normalize_isbn(raw: str) -> str:
    """Strip separators from an ISBN and upper-case a trailing X."""
    return raw.replace("-", "").replace(" ", "").upper()


def isbn_is_valid(isbn: str) -> bool:
    """Check the ISBN-10 or ISBN-13 checksum of an already normalised ISBN."""
    if len(isbn) == 13 and isbn.isdigit():
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(isbn))
        return total % 10 == 0
    if len(isbn) == 10 and isbn[:9].isdigit() and (isbn[9].isdigit() or isbn[9] == "X"):
        digits = [int(d) for d in isbn[:9]] + [10 if isbn[9] == "X" else int(isbn[9])]
        return sum((10 - i) * d for i, d in enumerate(digits)) % 11 == 0
    return False


def add_book(book: Book) -> Book:
    """Register a book in the catalogue, keyed by its normalised ISBN."""
    isbn = normalize_isbn(book.isbn)
    if not isbn_is_valid(isbn):
        raise ValueError(f"invalid ISBN: {book.isbn!r}")
    if book.price <= 0:
        raise ValueError("a book must have a positive price")
    stored = Book(isbn, book.title.strip(), book.author.strip(), book.price, book.tags)
    _CATALOGUE[isbn] = stored
    return stored


def get_book(isbn: str) -> Book:
    """Return the book with this ISBN or raise BookNotFound."""
    try:
        return _CATALOGUE[normalize_isbn(isbn)]
    except KeyError:
        raise BookNotFound(isbn) from None


def price_of(isbn: str) -> Decimal:
    """Current selling price of a book."""
    return get_book(isbn).price


def find_by_author(author: str) -> list[Book]:
    """All books whose author matches, case-insensitively."""
    wanted = author.strip().lower()
    return sorted(
        (b for b in _CATALOGUE.values() if b.author.lower() == wanted),
        key=lambda b: b.title,
    )


def search(query: str) -> list[Book]:
    """Naive full-text search over title, author and tags."""
    terms = [t for t in query.lower().split() if t]
    hits = []
    for book in _CATALOGUE.values():
        haystack = " ".join((book.title, book.author, *book.tags)).lower()
        if all(term in haystack for term in terms):
            hits.append(book)
    return sorted(hits, key=lambda b: (b.author, b.title))
