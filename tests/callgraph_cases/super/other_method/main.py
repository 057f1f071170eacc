class Base:
    def helper(self):
        pass


class Child(Base):
    def helper(self):
        pass

    def run(self):
        super().helper()
        self.helper()


Child().run()
