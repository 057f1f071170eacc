def f():
    pass


def g():
    pass


fns = [f, g]
fns[0]()
fns[1]()
