class Widget:
    def __init__(self):
        pass


def factory():
    return Widget


w = factory()()
