# -*- coding: latin-1 -*-
s = "café <img src=x onerror=alert(12)>"
print "<img src=x onerror=alert(13)>"
