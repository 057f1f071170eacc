def target():
    pass


def inner(g):
    g()


def outer(f):
    inner(f)


outer(target)
