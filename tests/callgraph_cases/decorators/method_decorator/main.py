def log(f):
    def wrapper(self):
        print("calling")
        return f(self)
    return wrapper


class Service:
    @log
    def handle(self):
        pass


Service().handle()
