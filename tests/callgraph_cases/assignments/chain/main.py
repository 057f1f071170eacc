def func():
    pass


a = func
b = a
c = b
c()
