import os.path


def build(name):
    return os.path.join("a", name)


os.path.join("a", "b")
build("c")
