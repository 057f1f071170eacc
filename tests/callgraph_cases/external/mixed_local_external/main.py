import math


def square(x):
    return x * x


class Circle:
    def __init__(self, r):
        self.r = r

    def area(self):
        return math.pi * square(self.r)

    def rounded(self):
        return round(math.floor(self.area()))


Circle(2).rounded()
