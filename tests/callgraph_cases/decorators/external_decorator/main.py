import functools


@functools.lru_cache(maxsize=None)
def compute():
    return 1


compute()
