def first():
    second()


def second():
    pass


first()
