class Widget:
    def __init__(self):
        pass


def make(cls):
    return cls()


make(Widget)
