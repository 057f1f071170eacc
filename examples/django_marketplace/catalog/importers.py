"""CSV product import shared by the management command and the seller UI."""
import csv
import io
from dataclasses import dataclass, field

from core.exceptions import DomainError

from . import services
from .models import Category

REQUIRED_COLUMNS = ("sku", "title", "category", "price")


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_products(seller, stream, *, publish: bool = False) -> ImportReport:
    """Create one product per CSV row; rows with errors are reported, not fatal."""
    if isinstance(stream, (bytes, bytearray)):
        stream = io.StringIO(stream.decode("utf-8-sig"))
    reader = csv.DictReader(stream)
    missing = [column for column in REQUIRED_COLUMNS if column not in (reader.fieldnames or [])]
    report = ImportReport()
    if missing:
        report.errors.append((0, f"Missing columns: {', '.join(missing)}"))
        return report
    categories = {category.slug: category for category in Category.objects.filter(is_active=True)}
    for line_number, row in enumerate(reader, start=2):
        category = categories.get(row["category"].strip())
        if category is None:
            report.errors.append((line_number, f"Unknown category {row['category']!r}"))
            continue
        try:
            product = services.create_product(
                seller=seller,
                category=category,
                title=row["title"],
                sku=row["sku"],
                price=row["price"],
                weight_grams=int(row.get("weight_grams") or 0),
                description=row.get("description", ""),
                tags=[tag for tag in (row.get("tags") or "").split("|") if tag],
                images=[url for url in (row.get("images") or "").split("|") if url],
            )
            if publish:
                services.publish_product(product)
        except (DomainError, ValueError) as exc:
            report.errors.append((line_number, getattr(exc, "message", str(exc))))
            continue
        report.created.append(product.sku)
    return report
