class Adder:
    def __init__(self, n):
        self.n = n

    def __call__(self, x):
        return self.add(x)

    def add(self, x):
        return x + self.n


add5 = Adder(5)
add5(1)
