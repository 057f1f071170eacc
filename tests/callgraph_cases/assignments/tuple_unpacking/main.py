def f():
    pass


def g():
    pass


x, y = f, g
y()
