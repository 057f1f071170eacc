class Conn:
    def __init__(self):
        pass

    def query(self):
        pass


def connect():
    return Conn()


connect().query()
