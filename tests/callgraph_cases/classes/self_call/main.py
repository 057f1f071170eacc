class Counter:
    def __init__(self):
        self.reset()

    def reset(self):
        pass

    def step(self):
        self.reset()


Counter().step()
