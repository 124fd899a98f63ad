"""civicpost: responsible government social media."""

__version__ = "0.1.0"
