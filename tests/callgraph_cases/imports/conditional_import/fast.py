def impl():
    pass
