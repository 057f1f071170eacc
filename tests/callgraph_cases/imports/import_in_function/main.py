def run():
    import to_import
    from to_import import other as o
    to_import.func()
    o()


run()
