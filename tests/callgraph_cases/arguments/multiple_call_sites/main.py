def first():
    pass


def second():
    pass


def apply(f):
    return f()


apply(first)
apply(second)
