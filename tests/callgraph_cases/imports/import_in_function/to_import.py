def func():
    pass


def other():
    pass
