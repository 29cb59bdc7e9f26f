"""Wishes (微心愿): residents' small wishes, verified and published without the person, claimed and fulfilled by members, volunteers, associations and local units."""
