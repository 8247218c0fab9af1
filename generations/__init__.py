"""Generation counters: one number per data set, bumped by every write to it.

A cache key that names the generations of the data it shows is never stale: a write moves the
number, and the next visit misses and renders afresh (djangoproject.com keys its dashboard's
cache on a generation number its metric updates bump). The numbers live in the database, so
every server process sees the same ones.

On the bottom floor: the apps bump their own data sets (`track` their models, and `bump` after
bulk writes that send no signals); the pages read the numbers (`current`).
"""
