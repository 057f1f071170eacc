def c():
    pass


def b():
    c()


def a():
    b()


a()
