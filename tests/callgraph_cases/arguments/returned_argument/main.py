def greet():
    pass


def identity(f):
    return f


def driver():
    h = identity(greet)
    h()


driver()
