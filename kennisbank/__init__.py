"""kennisbank: an archive of past interventions that keeps an organisation from forgetting."""

__version__ = "0.1.0"
