class A:
    def __init__(self):
        pass


class B(A):
    pass


class C(A):
    def __init__(self):
        pass


class D(B, C):
    pass


D()
