class Outer:
    class Inner:
        def __init__(self):
            pass

        def work(self):
            pass

    def make(self):
        return Outer.Inner()


o = Outer()
i = o.make()
i.work()
