def target():
    pass


def b():
    return target


def a():
    return b()


a()()
