"""Request and response models, in families per resource: ``XCreate / XUpdate / XPublic /
XsPublic(data, count)``. Create and update models are derived from the domain models, so a field
added to the domain appears in the API with its description and constraints."""
