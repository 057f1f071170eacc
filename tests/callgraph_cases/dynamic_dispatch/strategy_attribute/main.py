class Fast:
    def execute(self):
        pass


class Safe:
    def execute(self):
        pass


class Context:
    def __init__(self, strategy):
        self.strategy = strategy

    def run(self):
        self.strategy.execute()


Context(Fast()).run()
Context(Safe()).run()
