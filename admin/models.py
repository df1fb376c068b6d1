"""Import every model so the metadata (migrations, Flask-Admin) knows all tables."""
from engine import audit, identity, organisation  # noqa: F401
from rules import models as rule_models  # noqa: F401
