def produce():
    return 1


def gen():
    yield produce()


def consume():
    for value in gen():
        pass


consume()
