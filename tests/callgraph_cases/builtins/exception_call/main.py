class Checker:
    def check(self, value):
        if not isinstance(value, int):
            raise TypeError("not an int")
        return sorted([value, 0])


Checker().check(1)
