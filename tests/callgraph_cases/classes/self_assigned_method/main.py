class Job:
    def __init__(self):
        self.action = self.run

    def run(self):
        pass

    def go(self):
        self.action()


Job().go()
