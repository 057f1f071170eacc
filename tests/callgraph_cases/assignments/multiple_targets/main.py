def func():
    pass


a = b = func
b()
