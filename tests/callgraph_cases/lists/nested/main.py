def f():
    pass


def g():
    pass


grid = [[f], [g]]
grid[0][0]()
grid[1][0]()
