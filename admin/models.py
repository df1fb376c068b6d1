"""Import every model so the metadata (migrations, Flask-Admin) knows all tables."""
from engine import audit, identity, organisation  # noqa: F401
from rules import models as rule_models  # noqa: F401
from workflows import models as workflow_models  # noqa: F401
from engine import api_tokens  # noqa: F401
from workflows import public_report, survey  # noqa: F401
