from os.path import exists, join


def locate(name):
    path = join("/tmp", name)
    return exists(path)


locate("x")
