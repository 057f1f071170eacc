def f():
    pass


def g():
    pass


def use():
    handler()


handler = f
use()
handler = g
use()
