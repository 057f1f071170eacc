def alpha():
    pass


def beta():
    pass


table = {fn.__name__: fn for fn in [alpha, beta]}
table["alpha"]()
table["beta"]()
