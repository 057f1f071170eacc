def func():
    pass


if (h := func) is not None:
    h()
