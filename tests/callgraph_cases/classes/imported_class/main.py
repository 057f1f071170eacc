from to_import import Greeter

g = Greeter("x")
g.hello()
