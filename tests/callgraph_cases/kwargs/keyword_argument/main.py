def done():
    pass


def run(callback=None):
    if callback is not None:
        callback()


run(callback=done)
