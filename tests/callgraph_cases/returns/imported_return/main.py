from to_import import get_handler

handler = get_handler()
handler()
