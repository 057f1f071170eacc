class Root:
    def m(self):
        pass


class Left(Root):
    pass


class Right(Root):
    def m(self):
        pass


class Bottom(Left, Right):
    def m(self):
        super().m()


Bottom().m()
