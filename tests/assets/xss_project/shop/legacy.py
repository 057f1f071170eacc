print "<script>alert(11)</script>"
x = 1
