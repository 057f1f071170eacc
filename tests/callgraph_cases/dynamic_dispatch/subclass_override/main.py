class Base:
    def render(self):
        pass


class Child(Base):
    def render(self):
        pass


def show(widget):
    widget.render()


show(Base())
show(Child())
