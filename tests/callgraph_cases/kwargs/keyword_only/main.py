def finish():
    pass


def process(data, *, on_done):
    on_done()


process([], on_done=finish)
