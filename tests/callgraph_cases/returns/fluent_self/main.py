class Builder:
    def name(self):
        return self

    def size(self):
        return self

    def build(self):
        pass


Builder().name().size().build()
