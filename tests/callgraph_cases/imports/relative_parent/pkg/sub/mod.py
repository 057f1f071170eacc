from .. import util
from ..util import other as o


def work():
    util.tool()
    o()
