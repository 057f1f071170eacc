def biggest():
    return max(abs(-1), min(2, 3))


print(biggest())
