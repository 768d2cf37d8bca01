"""Family members' own accounts and their space: what is shared with them, their own words."""
