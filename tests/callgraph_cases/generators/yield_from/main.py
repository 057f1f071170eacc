def inner():
    yield 1


def outer():
    yield from inner()


values = list(outer())
