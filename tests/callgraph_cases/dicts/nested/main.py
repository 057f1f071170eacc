def handler():
    pass


routes = {"api": {"get": handler}}
routes["api"]["get"]()
