def notify():
    pass


class Button:
    def __init__(self, on_click=None):
        self.on_click = on_click

    def click(self):
        self.on_click()


Button(on_click=notify).click()
