def _private():
    pass


from to_import import *

public()
_private()
