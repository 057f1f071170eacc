"""Scripts kept from the old shop; not part of the running application."""
