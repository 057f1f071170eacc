class Plain:
    def run(self):
        pass


Plain().run()
