"""Product categories arranged in a tree (e.g. Books > Fiction > Crime)."""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.db.base import Base, IdMixin, TimestampMixin

MAX_DEPTH = 4


def slugify(name: str) -> str:
    """URL slug for a category name: 'Crime & Thriller' -> 'crime-thriller'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not slug:
        raise ValueError(f"cannot derive a slug from {name!r}")
    return slug


class Category(IdMixin, TimestampMixin, Base):
    __tablename__ = "categories"

    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_visible: Mapped[bool] = mapped_column(default=True)

    parent: Mapped["Category | None"] = relationship(
        "Category", remote_side="Category.id", back_populates="children"
    )
    children: Mapped[list["Category"]] = relationship(
        "Category", back_populates="parent", order_by="Category.position"
    )
    products = relationship("Product", back_populates="category")

    def ancestors(self) -> list["Category"]:
        """Parents from the root down to (excluding) this category."""
        chain: list[Category] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def depth(self) -> int:
        return len(self.ancestors())

    @property
    def breadcrumb(self) -> str:
        return " > ".join([c.name for c in self.ancestors()] + [self.name])

    def is_descendant_of(self, other: "Category") -> bool:
        return any(ancestor.id == other.id for ancestor in self.ancestors())

    def can_move_under(self, new_parent: "Category | None") -> bool:
        """Reject cycles and trees deeper than MAX_DEPTH."""
        if new_parent is None:
            return True
        if new_parent.id == self.id or new_parent.is_descendant_of(self):
            return False
        return new_parent.depth + 1 < MAX_DEPTH

    def visible_children(self) -> list["Category"]:
        return [child for child in self.children if child.is_visible]

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"
