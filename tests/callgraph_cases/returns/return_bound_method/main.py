class Task:
    def run(self):
        pass


def runner_of(task):
    return task.run


runner_of(Task())()
