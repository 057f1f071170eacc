def numbers(n):
    return list(range(n))


numbers(3)
