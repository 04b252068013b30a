"""microsite: a static site generator for clinics' treatment-information sites."""

__version__ = "0.1.0"
