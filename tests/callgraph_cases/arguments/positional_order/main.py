def first():
    pass


def second():
    pass


def pick(a, b):
    b()


pick(first, second)
