def register(cls):
    cls.registered = True
    return cls


@register
class Plugin:
    def __init__(self):
        pass

    def run(self):
        pass


Plugin().run()
