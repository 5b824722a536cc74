"""Data shipped with zprime: constants, measurements (grouped in editions) and published limit curves.

Loaders validate every file on read and raise :class:`zprime.errors.DataFileError` naming the file and
the field. Files are read with ``yaml.safe_load`` / numpy text readers only.
"""
