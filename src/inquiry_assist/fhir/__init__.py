"""FHIR input and output. Importing this package does not import fhir.resources:
the models load only when FHIR input is actually read."""
