"""Book catalogue: the Book record, ISBN checks, and lookups by ISBN, author and title."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


class BookNotFound(LookupError):
    """Raised when an ISBN is not present in the catalogue."""


@dataclass(frozen=True)
class Book:
    """A title that the shop sells, keyed by its normalised ISBN."""

    isbn: str
    title: str
    author: str
    price: Decimal
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def display_name(self) -> str:
        """Title and author, as shown on the shop's pages."""
        return f"{self.title} by {self.author}"


_CATALOGUE: dict[str, Book] = {}


def normalize_isbn(raw: str) -> str:
    """Strip separators from an ISBN and upper-case a trailing X."""
    return raw.replace("-", "").replace(" ", "").strip().upper()


def isbn_is_valid(isbn: str) -> bool:
    """Check the ISBN-10 or ISBN-13 checksum of an already normalised ISBN."""
    if len(isbn) == 13 and isbn.isdigit():
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(isbn))
        return total % 10 == 0
    if len(isbn) == 10 and isbn[:9].isdigit() and (isbn[9].isdigit() or isbn[9] == "X"):
        digits = [int(d) for d in isbn[:9]] + [10 if isbn[9] == "X" else int(isbn[9])]
        return sum((10 - i) * d for i, d in enumerate(digits)) % 11 == 0
    return False


def add_book(
    isbn: str, title: str, author: str, price: Decimal, tags: tuple[str, ...] = ()
) -> Book:
    """Register a title in the catalogue, or update it if the ISBN is already there."""
    clean = normalize_isbn(isbn)
    if not isbn_is_valid(clean):
        raise ValueError(f"invalid ISBN: {isbn!r}")
    if price <= 0:
        raise ValueError("a book must have a positive price")
    book = Book(clean, title.strip(), author.strip(), price, tuple(t.lower() for t in tags))
    _CATALOGUE[clean] = book
    return book


def find(isbn: str) -> Book:
    """Return the book with this ISBN, in any spelling, or raise BookNotFound."""
    try:
        return _CATALOGUE[normalize_isbn(isbn)]
    except KeyError:
        raise BookNotFound(isbn) from None


def all_books() -> list[Book]:
    """Every catalogued title, ordered by author then title."""
    return sorted(_CATALOGUE.values(), key=lambda b: (b.author, b.title))


def by_author(author: str) -> list[Book]:
    """All books whose author matches, case-insensitively, ordered by title."""
    wanted = author.strip().lower()
    return sorted(
        (b for b in _CATALOGUE.values() if b.author.lower() == wanted),
        key=lambda b: b.title,
    )


def search(query: str) -> list[Book]:
    """Naive full-text search: books whose title, author or tags contain every term."""
    terms = [t for t in query.lower().split() if t]
    hits = []
    for book in all_books():
        haystack = " ".join((book.title, book.author, *book.tags)).lower()
        if all(term in haystack for term in terms):
            hits.append(book)
    return hits
