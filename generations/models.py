"""The generation number of each data set (see generations/__init__.py)."""

from django.db import models


class Generation(models.Model):
    """How many times a data set has been written: cache keys name it, so a write retires them."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
