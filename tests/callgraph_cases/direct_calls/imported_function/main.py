from to_import import helper


def run():
    helper()


run()
