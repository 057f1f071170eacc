def outer(f):
    def wrap_outer():
        return f()
    return wrap_outer


def inner(f):
    def wrap_inner():
        return f()
    return wrap_inner


@outer
@inner
def func():
    pass


func()
