def hidden():
    pass


from to_import import *

exported()
hidden()
