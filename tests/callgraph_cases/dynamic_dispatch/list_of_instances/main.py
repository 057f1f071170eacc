class Circle:
    def area(self):
        pass


class Square:
    def area(self):
        pass


for shape in [Circle(), Square()]:
    shape.area()
