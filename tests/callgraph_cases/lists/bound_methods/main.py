class Machine:
    def boot(self):
        pass

    def run(self):
        pass


m = Machine()
for action in [m.boot, m.run]:
    action()
