def a():
    pass


def b():
    pass


def call_all(**hooks):
    for name in hooks:
        hooks[name]()


call_all(first=a, second=b)
