from xml.etree import ElementTree as ET


class Parser:
    def parse(self, text):
        return ET.fromstring(text)


Parser().parse("<a/>")
