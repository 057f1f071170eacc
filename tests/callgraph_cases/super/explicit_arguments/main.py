class A:
    def m(self):
        pass


class B(A):
    def m(self):
        pass


class C(B):
    def m(self):
        super(B, self).m()


C().m()
