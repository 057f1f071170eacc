def func():
    pass


func()
