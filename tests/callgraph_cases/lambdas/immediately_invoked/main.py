def target():
    return 1


value = (lambda: target())()
