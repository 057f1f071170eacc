"""``manage.py import_products <seller-email> <file.csv>``."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from catalog.importers import import_products


class Command(BaseCommand):
    help = "Import products for a seller from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("seller_email")
        parser.add_argument("path")
        parser.add_argument("--publish", action="store_true", help="Publish products after import")

    def handle(self, *args, **options):
        user_model = get_user_model()
        seller = user_model.objects.filter(email__iexact=options["seller_email"]).first()
        if seller is None:
            raise CommandError(f"No user with email {options['seller_email']}")
        with open(options["path"], encoding="utf-8-sig", newline="") as handle:
            report = import_products(seller, handle, publish=options["publish"])
        for line_number, message in report.errors:
            self.stderr.write(f"line {line_number}: {message}")
        self.stdout.write(self.style.SUCCESS(f"Imported {len(report.created)} product(s)."))
