def f():
    pass


def g():
    pass


def h():
    pass


first, *middle, last = f, g, h
first()
last()
