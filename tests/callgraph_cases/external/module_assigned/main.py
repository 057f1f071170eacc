import json

codec = json


def parse(text):
    return codec.loads(text)


parse("{}")
