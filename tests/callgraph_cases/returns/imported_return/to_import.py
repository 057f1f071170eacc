def _handler():
    pass


def get_handler():
    return _handler
