def f():
    pass


def g():
    pass


PIPELINE = (f, g)
for step in PIPELINE:
    step()
