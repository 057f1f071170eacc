def target():
    pass


def run(cb):
    cb()


run(lambda: target())
