"""The service layer the API and the dashboard call: access rules, caching, jobs, confidentiality.

No Cypher here (the graph store's repository does the storing) and no HTTP (the API turns these
functions into routes). Every function takes the caller's `Principal` and applies the role rules
itself, so a dashboard page cannot see more than the same user would over HTTP.
"""
