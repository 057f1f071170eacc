__all__ = ["exported"]


def exported():
    pass


def hidden():
    pass
