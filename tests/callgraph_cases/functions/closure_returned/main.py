def make_counter():
    def step():
        pass

    def counter():
        step()
    return counter


c = make_counter()
c()
