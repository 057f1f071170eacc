def f():
    return 1


def g():
    return 2


results = [fn() for fn in (f, g)]
