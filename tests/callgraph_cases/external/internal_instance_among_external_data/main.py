import json
from typing import Callable


class Request:
    def int_arg(self, name):
        return 0


Handler = Callable[[Request], int]
routes: list[Handler] = []


def route(handler: Handler) -> Handler:
    routes.append(handler)
    return handler


@route
def view(request: Request, slug=""):
    return request.int_arg(slug)


def dispatch(text):
    params = json.loads(text)
    for handler in routes:
        handler(Request(), **params)
