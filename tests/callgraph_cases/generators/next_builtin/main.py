def counter():
    yield 0


it = counter()
first = next(it)
