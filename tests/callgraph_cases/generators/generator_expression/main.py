def weight(x):
    return x


def total():
    return sum(weight(x) for x in range(3))


total()
