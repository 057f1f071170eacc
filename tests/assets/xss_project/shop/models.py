"""Models. <img src=x onerror=alert(1)> <svg onload=alert(2)>"""

PAYLOAD = '</script><script>alert(1)</script>'
COMMENT = "<!--<script>alert('comment')</script>-->"


class Img:
    """"><img src=x onerror=alert(1)>"""

    title = "<iframe src=javascript:alert(3)></iframe>"

    def render(self):
        """<script>alert("render")</script>"""
        return PAYLOAD + self.title


class Script(Img):
    """</textarea><script>alert(4)</script>"""

    def onerror(self):
        return Img().render()


class Order:
    """An order: <b onmouseover=alert(5)>bold</b>"""

    def total(self):
        return sum([])
