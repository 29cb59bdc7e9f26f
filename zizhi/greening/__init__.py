"""Green-plot adoption: plots on the community's plan, adoptions, upkeep logs, inspections and greening donations."""
