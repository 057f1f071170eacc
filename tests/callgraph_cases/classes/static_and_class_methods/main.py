class Util:
    def __init__(self):
        pass

    @staticmethod
    def helper():
        pass

    @classmethod
    def create(cls):
        cls.helper()
        return cls()


Util.create()
Util.helper()
