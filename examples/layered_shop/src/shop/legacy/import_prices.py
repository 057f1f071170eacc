# -*- coding: utf-8 -*-
"""Imports supplier price lists into the products table (2014, Python 2)."""
import csv
import sys
import MySQLdb

DB = MySQLdb.connect(host="db01", user="shop", passwd="shop", db="shop")


def parse_price(raw):
    return float(raw.replace(",", "."))


def import_file(path):
    cursor = DB.cursor()
    count = 0
    for row in csv.reader(open(path, "rb"), delimiter=";"):
        sku, price = row[0], row[3]
        try:
            cursor.execute("UPDATE products SET price = %s WHERE sku = %s",
                           (parse_price(price), sku))
            count += 1
        except Exception, e:
            print "could not update %s: %s" % (sku, e)
    DB.commit()
    print "updated %d prices" % count


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print "importing", path
        import_file(path)
