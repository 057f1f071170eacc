def callback():
    pass


class Config:
    pass


cfg = Config()
cfg.on_done = callback
cfg.on_done()
