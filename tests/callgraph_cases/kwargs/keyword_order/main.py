def f():
    pass


def g():
    pass


def run(a, b):
    b()


run(b=f, a=g)
