def f():
    pass


def g():
    pass


def run():
    x = lambda: f()
    return x()


y = lambda: g()
run()
y()
