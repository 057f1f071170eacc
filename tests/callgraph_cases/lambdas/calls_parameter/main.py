def target():
    pass


apply = lambda fn: fn()
apply(target)
