def a():
    pass


def b():
    pass


def run_all(*fns):
    for f in fns:
        f()


run_all(a, b)
