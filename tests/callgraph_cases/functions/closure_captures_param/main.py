def target():
    pass


def bind(f):
    def call():
        f()
    return call


bind(target)()
