class Task:
    def run(self):
        self.step()

    def step(self):
        pass


class Special(Task):
    def step(self):
        pass


Task().run()
Special().run()
