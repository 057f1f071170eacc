class Base:
    def ping(self):
        pass


class Child(Base):
    def __init__(self):
        super().__init__()
        self.ping()


Child()
