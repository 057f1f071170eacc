def add():
    pass


def sub():
    pass


ops = {"add": add, "sub": sub}
ops["add"]()
ops["sub"]()
