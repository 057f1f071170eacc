def target():
    pass


outer = lambda: (lambda: target())
outer()()
