def mark(f):
    f.marked = True
    return f


@mark
def func():
    pass


func()
