def report(msg):
    pass


def run(print):
    print("x")


run(report)
