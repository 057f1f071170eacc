class A:
    def run(self):
        self.helper()

    def helper(self):
        pass


class B(A):
    def helper(self):
        pass


class C(B):
    pass


A().run()
C().run()
