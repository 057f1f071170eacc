def handler():
    pass


class Registry:
    callback = handler


def fire():
    Registry.callback()


fire()
