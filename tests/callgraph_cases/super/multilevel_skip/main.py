class A:
    def m(self):
        pass


class B(A):
    pass


class C(B):
    def m(self):
        super().m()


C().m()
