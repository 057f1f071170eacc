import sys

if len(sys.argv) > 1:
    from fast import impl
else:
    from slow import impl

impl()
