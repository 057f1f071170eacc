from collections import OrderedDict
import collections as c

first = OrderedDict()
second = c.Counter("abc")
