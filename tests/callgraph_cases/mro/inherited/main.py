class Base:
    def greet(self):
        pass


class Child(Base):
    pass


Child().greet()
