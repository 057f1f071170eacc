def f():
    pass


def g():
    pass


def run(table):
    for key in table:
        table[key]()


run({"f": f, "g": g})
