class Source:
    def make(self):
        return 1

    def items(self):
        for _ in range(2):
            yield self.make()


for item in Source().items():
    pass
