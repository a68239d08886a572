"""The package's version, declared once: `highlights.__version__`, pyproject.toml and the model folders'
`meta.json` (`model_folder`) read it from here."""

__version__ = "0.1.0"
