def tool():
    pass


def other():
    pass
