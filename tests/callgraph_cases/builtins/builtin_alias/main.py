out = print


def greet(name):
    out("hello", name)


greet("world")
