"""Party members of the community's branch (in-service, retired, mobile), report-in (双报到), service posts, quarterly reports, care of retired members."""
