def a():
    pass


def b():
    pass


def outer():
    fn = a

    def switch():
        nonlocal fn
        fn = b
    fn()
    switch()
    fn()


outer()
