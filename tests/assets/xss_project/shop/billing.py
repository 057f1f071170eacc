"""Billing: <style>body{display:none}</style>"""

from shop.views import show_order


class Invoice:
    """Invoice <script src="https://example.invalid/x.js"></script>"""

    def pay(self):
        return show_order(1)


class Payment:
    def charge(self):
        return Invoice().pay()
