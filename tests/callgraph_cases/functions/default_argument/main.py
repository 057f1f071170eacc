def default_cb():
    pass


def custom_cb():
    pass


def run(cb=default_cb):
    cb()


run()
run(custom_cb)
