def encode():
    pass


def decode():
    pass


class Codec:
    table = {"enc": encode, "dec": decode}

    def run(self, op):
        return self.table[op]()


c = Codec()
c.run("enc")
c.run("dec")
