class A:
    def __init__(self):
        pass

    def method(self):
        pass


a = A()
a.method()
