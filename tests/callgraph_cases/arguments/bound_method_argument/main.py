class Worker:
    def work(self):
        pass


def run(task):
    task()


w = Worker()
run(w.work)
