class Json:
    def dump(self):
        pass


class Xml:
    def dump(self):
        pass


def save(fmt):
    fmt.dump()


save(Json())
save(Xml())
