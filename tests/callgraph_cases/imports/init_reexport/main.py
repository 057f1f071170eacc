import pkg

pkg.process()
