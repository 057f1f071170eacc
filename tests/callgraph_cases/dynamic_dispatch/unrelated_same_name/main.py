class Used:
    def process(self):
        pass


class Unused:
    def process(self):
        pass


def handle(obj):
    obj.process()


handle(Used())
