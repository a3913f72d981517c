"""Converters for the 连云港市人民政府公报 archive: gazette issues as received -> anchored documents."""
