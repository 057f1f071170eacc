class Left:
    def __init__(self):
        pass


class Right:
    def __init__(self):
        pass


class Both(Left, Right):
    def __init__(self):
        super().__init__()


Both()
