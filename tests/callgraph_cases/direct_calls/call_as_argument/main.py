def f(x):
    return x


def g(y):
    return y


def h():
    return 1


f(g(h()))
