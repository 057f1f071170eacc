def compute():
    return 2


def show(value=0):
    pass


def run():
    show(value=compute())


run()
