def f():
    pass


def g():
    pass


def run_all(fns):
    for fn in fns:
        fn()


run_all([f, g])
