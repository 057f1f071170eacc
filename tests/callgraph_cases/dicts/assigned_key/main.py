def on_save():
    pass


hooks = {}
hooks["save"] = on_save


def fire():
    hooks["save"]()


fire()
