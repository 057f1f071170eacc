def repeat(n):
    def decorator(f):
        def wrapper():
            for _ in range(n):
                f()
        return wrapper
    return decorator


@repeat(3)
def hello():
    pass


hello()
