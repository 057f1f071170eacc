def outer():
    def inner():
        pass
    return inner


fn = outer()
fn()
