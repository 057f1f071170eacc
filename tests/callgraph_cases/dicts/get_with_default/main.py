def start():
    pass


def stop():
    pass


def unknown():
    pass


COMMANDS = {"start": start, "stop": stop}


def dispatch(name):
    return COMMANDS.get(name, unknown)()


dispatch("start")
dispatch("stop")
dispatch("other")
