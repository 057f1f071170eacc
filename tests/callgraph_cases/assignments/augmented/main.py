def f():
    pass


def g():
    pass


handlers = [f]
handlers += [g]
for h in handlers:
    h()
