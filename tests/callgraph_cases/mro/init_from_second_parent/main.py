class A:
    def run(self):
        pass


class B:
    def __init__(self):
        pass


class C(A, B):
    pass


C().run()
