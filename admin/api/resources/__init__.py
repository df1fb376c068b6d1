"""The API's views, one module per resource; each is a thin layer of schemas and service calls."""
