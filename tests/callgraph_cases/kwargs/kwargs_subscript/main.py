def handler():
    pass


def run(**kwargs):
    kwargs["cb"]()


run(cb=handler)
