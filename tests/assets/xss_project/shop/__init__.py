"""</script><script>alert("package")</script>"""
