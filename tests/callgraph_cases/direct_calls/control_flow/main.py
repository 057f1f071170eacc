def check():
    return True


def loop_body():
    pass


def recover():
    pass


if check():
    for _ in range(2):
        loop_body()
try:
    loop_body()
except ValueError:
    recover()
