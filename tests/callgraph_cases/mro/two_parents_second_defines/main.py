class A:
    def other(self):
        pass


class B:
    def m(self):
        pass


class C(A, B):
    pass


C().m()
