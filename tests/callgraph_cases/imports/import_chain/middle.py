from origin import f
