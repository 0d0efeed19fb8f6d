"""The dashboard's charts: lcspr.core.charts, where the yearly report (reviews) finds them too."""

from lcspr.core.charts import Bar, Segment, bar_chart

__all__ = ["Bar", "Segment", "bar_chart"]
