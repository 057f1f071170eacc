def f():
    pass


def g():
    pass


def run():
    for fn in [f, g]:
        fn()


run()
