"""django-simple-history for modelcluster inline children."""

from django.db import models
from modelcluster.fields import ParentalKey
from simple_history.models import HistoricalRecords


class ClusterHistoricalRecords(HistoricalRecords):
    """HistoricalRecords that works on a model with a ParentalKey.

    The copied ParentalKey keeps its class and, with simple-history's ``related_name='+'``, fails
    modelcluster's check E002; a history row needs no parental behaviour, so it becomes a plain ForeignKey.
    """

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in list(fields.items()):
            if isinstance(field, ParentalKey):
                field.swappable = False  # as simple-history does: the app registry is not ready yet
                _name, _path, args, kwargs = field.deconstruct()
                plain = models.ForeignKey(*args, **kwargs)
                plain.name = name
                fields[name] = plain
        return fields
