"""Views: {{ 7 * 7 }} {% raw %} ${alert(6)} `alert(7)`"""

from shop.models import Img, Order, Script


def show_order(order_id):
    """<a href="javascript:alert(8)">click</a>"""
    order = Order()
    return order.total(), Script().onerror(), Img().render()


def alert_payload():
    return "'-alert(9)-'" + '"-alert(10)-"'
