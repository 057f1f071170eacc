class Greeter:
    def __init__(self, name):
        self.name = name

    def hello(self):
        self.format()

    def format(self):
        pass
