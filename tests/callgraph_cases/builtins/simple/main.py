items = [1, 2, 3]
print(len(items))


def show(x):
    print(repr(x))


show(items)
