class A:
    def m(self):
        pass


class B(A):
    def m(self):
        pass


class C(B):
    pass


C().m()
