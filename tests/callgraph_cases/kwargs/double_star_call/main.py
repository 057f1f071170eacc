def on_ok():
    pass


def on_err():
    pass


def run(ok, err):
    ok()
    err()


options = {"ok": on_ok, "err": on_err}
run(**options)
