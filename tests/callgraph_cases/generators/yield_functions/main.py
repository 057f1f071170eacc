def f():
    pass


def g():
    pass


def handlers():
    yield f
    yield g


for h in handlers():
    h()
