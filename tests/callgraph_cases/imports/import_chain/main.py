from middle import f

f()
