def f():
    pass


def g():
    pass


def pick(flag):
    if flag:
        return f
    return g


pick(True)()
pick(False)()
