def callee():
    pass


def caller(f):
    f()


caller(callee)
