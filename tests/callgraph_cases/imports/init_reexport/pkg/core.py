def _step():
    pass


def process():
    _step()
