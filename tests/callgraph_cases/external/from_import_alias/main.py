from json import dumps as to_json


def serialize(obj):
    return to_json(obj)


serialize({"a": 1})
