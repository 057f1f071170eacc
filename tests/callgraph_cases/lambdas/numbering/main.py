def f():
    pass


def g():
    pass


first = lambda: f()
second = lambda: g()
second()
