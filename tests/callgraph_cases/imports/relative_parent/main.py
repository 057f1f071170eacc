from pkg.sub.mod import work

work()
