class A:
    def __init__(self):
        pass


class B:
    def __init__(self):
        pass


instances = [cls() for cls in [A, B]]
