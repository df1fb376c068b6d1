"""marshmallow 4 schemas of the API: inputs reject unknown fields; outputs document every answer."""
