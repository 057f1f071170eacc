import sys


class A:
    def run(self):
        pass


class B:
    def run(self):
        pass


x = A() if len(sys.argv) > 1 else B()
x.run()
