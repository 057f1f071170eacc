def dec(f):
    def wrapper():
        return f()
    return wrapper


@dec
def func():
    pass


func()
