import sys


class Printer:
    def emit(self):
        pass


def fallback():
    pass


p = Printer()
action = p.emit if len(sys.argv) > 1 else fallback
action()
