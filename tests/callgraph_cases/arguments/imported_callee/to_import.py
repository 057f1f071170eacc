def call_it(f):
    return f()
