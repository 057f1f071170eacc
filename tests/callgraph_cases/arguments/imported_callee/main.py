from to_import import call_it


def local():
    pass


call_it(local)
