def on_open():
    pass


callbacks = dict(open=on_open)
callbacks["open"]()
