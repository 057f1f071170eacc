from to_import import func as f


def run():
    f()


run()
